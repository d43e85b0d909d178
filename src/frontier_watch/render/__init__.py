"""Answers into text: public row shapes, tables and JSON, charts, the changes digest, progress."""
