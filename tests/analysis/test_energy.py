import numpy as np
import pytest

from codesign.analysis import audit_descent


def test_monotone_energy_passes():
    t = np.linspace(0, 1, 50)
    audit = audit_descent(t, np.exp(-t))
    assert audit.passed and audit.rises == 0 and audit.max_rise == 0


def test_a_rise_is_found_with_its_time_and_size():
    t = np.linspace(0, 1, 11)
    energy = -t.copy()
    energy[6] += 0.5  # rises between t = 0.5 and t = 0.6
    audit = audit_descent(t, energy, tolerance=1e-6)
    assert not audit.passed
    assert audit.worst_time == pytest.approx(0.6)
    assert audit.max_rise == pytest.approx(0.4)
    assert "rises" in audit.describe()


def test_rises_before_t_from_are_ignored():
    t = np.linspace(0, 1, 11)
    energy = -t.copy()
    energy[2] += 1.0
    assert audit_descent(t, energy, t_from=0.5).passed
    assert not audit_descent(t, energy).passed


def test_tolerance_is_relative_to_the_energy_range():
    t = np.linspace(0, 1, 101)
    energy = 1e6 * np.exp(-5 * t)
    energy[50] += 1e-3  # 1e-9 of the range
    assert audit_descent(t, energy, tolerance=1e-6).passed


def test_settled_window_is_judged_against_the_whole_energy_range():
    # settles by t = 0.5; afterwards it creeps up by round-off (1e-9 of the range)
    t = np.linspace(0, 1, 101)
    energy = np.where(t < 0.5, -10 * t, -5.0) + 1e-8 * np.maximum(t - 0.5, 0)
    assert audit_descent(t, energy, tolerance=1e-3, t_from=0.5).passed
    energy[80] += 0.1  # a real rise: 1 % of the range
    assert not audit_descent(t, energy, tolerance=1e-3, t_from=0.5).passed
