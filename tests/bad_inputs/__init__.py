"""A corpus of hostile and broken inputs, generated on demand (see `make_bad_inputs`)."""
