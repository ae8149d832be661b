"""Device-noise models and how each backend realises them (see `params.SCHEMA`)."""
