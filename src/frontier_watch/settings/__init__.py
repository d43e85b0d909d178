"""Where settings come from: the config file, the source catalogue, cron expressions, file paths."""
