"""Lava processes (`process.py`) and their process models (`models.py`)."""
