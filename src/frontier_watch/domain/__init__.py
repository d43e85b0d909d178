"""The field's vocabulary: money, identity, labs, kinds, evidence, attribution, bounds, clock, errors."""
