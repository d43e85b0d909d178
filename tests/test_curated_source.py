"""The curated kind: where a team's log is read from, and the spec rules for a url that may be unset."""

import pytest

from frontier_watch.settings.catalogue import CatalogueError, load_catalogue, read_spec
from frontier_watch.sources.curated import CuratedDataError, curated_urls, parse_published_file
from frontier_watch.sources.errors import SourceFormatError
from frontier_watch.sources.kind import Response
from frontier_watch.sources.spec import SourceSpec


def spec(url, **options):
    return SourceSpec("curated", "curated", url, "0 0 * * *", "a", "l", "rumor", options=options)


@pytest.mark.parametrize(
    ("url", "options", "expected"),
    [
        ("", {}, []),
        ("https://team.example/fw", {}, ["https://team.example/fw/signals.csv"]),
        (
            "https://team.example/fw/",
            {"files": ["signals.csv", "releases.csv"]},
            ["https://team.example/fw/signals.csv", "https://team.example/fw/releases.csv"],
        ),
        ("https://gist.example/u/log.CSV?raw=1", {}, ["https://gist.example/u/log.CSV?raw=1"]),
    ],
)
def test_the_url_is_a_folder_of_files_or_one_csv(url, options, expected):
    assert curated_urls(spec(url, **options)) == expected


def test_the_shipped_spec_has_no_url_and_is_listed():
    curated = load_catalogue()["curated"]
    assert curated.url == "" and curated.kind == "curated"


def test_only_kinds_that_ship_their_data_may_leave_the_url_unset(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(
        'id = "x"\nkind = "feed"\nurl = ""\nschedule = "0 0 * * *"\nattribution = "a"\n'
        'licence = "l"\nevidence = "rumor"\n'
    )
    with pytest.raises(CatalogueError, match="url: missing or empty"):
        read_spec(path)
    path.write_text(
        path.read_text()
        .replace('kind = "feed"', 'kind = "curated"')
        .replace('evidence = "rumor"\n', 'evidence = "rumor"\n[options]\nfiles = ["prices/curated.csv"]\n')
    )
    with pytest.raises(CatalogueError, match="options.files: 'prices/curated.csv' is not one of"):
        read_spec(path)


def test_a_file_the_source_does_not_read_is_refused_by_name():
    response = Response("https://team.example/fw/benchmarks.csv", 200, {}, b"model,benchmark\n")
    with pytest.raises(SourceFormatError, match="reads releases.csv and signals.csv, not 'benchmarks.csv'"):
        parse_published_file(response, spec("https://team.example/fw/"))


def test_a_published_releases_file_is_read_as_releases():
    body = (
        b"date,lab,model,source_url,evidence\n"
        b"2026-05-01,Example Lab,Example-1,https://example.org/blog/example-1,official-announcement\n"
    )
    batch = parse_published_file(Response("https://team.example/fw/releases.csv", 200, {}, body), spec("x"))
    [release] = batch.releases
    assert (release.lab, release.model, release.evidence) == (
        "Example Lab",
        "Example-1",
        "official-announcement",
    )
    with pytest.raises(CuratedDataError, match="releases.csv:2: source_url is required"):
        parse_published_file(
            Response(
                "https://team.example/fw/releases.csv",
                200,
                {},
                body.replace(b"https://example.org/blog/example-1", b""),
            ),
            spec("x"),
        )
