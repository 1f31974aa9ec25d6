"""The generated methods text says which test gave each p, and why that variant."""

from __future__ import annotations

from myotrack.report.methods import describe_test, split_lead


def test_normal_approximation_names_its_reasons() -> None:
    block = {
        "n": 13,
        "p": 0.021,
        "p_method": "normal_approx",
        "test": {"n_zero": 1, "ties": True, "n_used": 12, "statistic_name": "V", "statistic": 9.0},
    }
    text = describe_test(block)
    assert text.startswith("Wilcoxon signed-rank test with the normal approximation")
    assert "V = 9, 12 non-zero pairs" in text
    assert "because of 1 zero difference dropped and tied absolute differences" in text


def test_exact_and_paired_t_and_no_test() -> None:
    exact = {
        "n": 12,
        "p": 0.034,
        "p_method": "exact",
        "test": {
            "n_zero": 0,
            "ties": False,
            "n_used": 12,
            "statistic_name": "V",
            "statistic": 12.0,
        },
    }
    assert "exact null distribution (n = 12, V = 12" in describe_test(exact)
    t = {
        "n": 7,
        "p": 0.018,
        "p_method": "paired_t",
        "test": {"statistic": 3.2301, "df": 6, "statistic_name": "t"},
    }
    assert describe_test(t) == "two-sided paired t-test (n = 7, t = 3.230, df = 6)"
    assert describe_test({"n": 1, "p": None}) == "no test (n = 1, fewer than 2 pairs)"
    assert "do not vary" in describe_test({"n": 4, "p": None})


def test_split_lead() -> None:
    assert split_lead("Patients. The case series") == ("Patients.", "The case series")
    assert split_lead("Software: myotrack 0.1.0.") == ("Software:", "myotrack 0.1.0.")
    assert split_lead("No lead-in here at all, just text") == (
        "",
        "No lead-in here at all, just text",
    )
