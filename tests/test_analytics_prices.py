"""analytics.prices on known numbers."""

import polars as pl
import pytest

from frontier_watch.analytics.prices import blended_price


def frame(*pairs):
    return pl.DataFrame(
        {"input_usd_per_mtok": [p[0] for p in pairs], "output_usd_per_mtok": [p[1] for p in pairs]},
        schema={"input_usd_per_mtok": pl.Float64, "output_usd_per_mtok": pl.Float64},
    )


def test_the_default_blend_is_three_parts_input_to_one_part_output():
    result = blended_price(frame((3.0, 15.0), (0.55, 2.19)))
    assert result["blended_usd_per_mtok"].to_list() == pytest.approx([6.0, (0.55 * 3 + 2.19) / 4])


def test_the_weights_are_a_parameter():
    assert blended_price(frame((2.0, 8.0)), 1, 1)["blended_usd_per_mtok"].to_list() == [5.0]
    assert blended_price(frame((2.0, 8.0)), 1, 0)["blended_usd_per_mtok"].to_list() == [2.0]


def test_a_missing_side_gives_no_blend_rather_than_a_free_one():
    result = blended_price(frame((1.0, None), (None, 4.0)))
    assert result["blended_usd_per_mtok"].to_list() == [None, None]


def test_other_columns_pass_through_and_the_input_is_not_changed():
    source = frame((3.0, 15.0)).with_columns(pl.lit("m").alias("model_id"))
    result = blended_price(source)
    assert result.columns == ["input_usd_per_mtok", "output_usd_per_mtok", "model_id", "blended_usd_per_mtok"]
    assert "blended_usd_per_mtok" not in source.columns


@pytest.mark.parametrize("weights", [(-1, 1), (0, 0)])
def test_impossible_weights_are_refused(weights):
    with pytest.raises(ValueError, match="blend weights"):
        blended_price(frame((1.0, 2.0)), *weights)
