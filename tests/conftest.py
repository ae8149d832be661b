import numpy as np
import pytest

from codesign.spec import spec_from_mapping
from tests.cases import spec_mapping


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture
def make_spec():
    """Build a checked spec of a kind from tests/cases.py, with overrides."""

    def make(kind, **tables):
        raw = spec_mapping(kind)
        for table, values in tables.items():
            raw.setdefault(table, {}).update(values)
        return spec_from_mapping(raw)

    return make
