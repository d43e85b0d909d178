"""The parts of a source kind that every kind shares: Link header paging and option checks."""

import pytest

from frontier_watch.sources.kind import Option, Response, link_header_next

PAGE = "https://hub.test/api/models?author=x"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('<https://hub.test/p2>; rel="next"', "https://hub.test/p2"),
        ('<https://hub.test/p2>; rel="Next"', "https://hub.test/p2"),  # relation types ignore case
        ("<https://hub.test/p2>; REL=next", "https://hub.test/p2"),  # so do parameter names
        ('<https://hub.test/p1>; title="a, b; c"; rel="next"', "https://hub.test/p1"),  # quoted , and ;
        ('<https://hub.test/p0>; rel="prev", <https://hub.test/n>; rel="next last"', "https://hub.test/n"),
        ('</api/models?cursor=abc>; rel="next"', "https://hub.test/api/models?cursor=abc"),  # relative
        ('<https://hub.test/x>; foo="rel=next"', None),  # rel inside another parameter's value
        ('<https://hub.test/p0>; rel="prev"', None),
        ('<file:///etc/passwd>; rel="next"', None),  # never off the web
        (f'<{PAGE}>; rel="next"', None),  # this very page again
        ("<https://hub.test/p2; rel=next", None),  # unterminated
        ("garbage", None),
        ("", None),
    ],
)
def test_link_header_next(header, expected):
    assert link_header_next(Response(PAGE, 200, {"link": header}, b"")) == expected


def test_options_check_their_type_and_item_type():
    vendors = Option(list, "a list of vendor names", item=str)
    assert vendors.problem(["openai"]) is None
    assert vendors.problem("openai") == "expected a list of vendor names"
    assert vendors.problem(["openai", 3]) == "expected a list of vendor names"
    assert vendors.problem(["openai", ""]) == "expected a list of vendor names"
    assert Option(int, "a number").problem(True) == "expected a number"  # a boolean is not a number
