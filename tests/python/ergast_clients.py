#!/usr/bin/env python3
"""Two Ergast clients, emulated with the Python standard library, against our Ergast facade.

Neither FastF1 nor ergast-py can be installed here, so this script carries two small clients of
its own that build their URLs in exactly those libraries' shapes:

- FastF1 style (`fastf1.ergast`): a module-level BASE_URL, read at every request, set to
  `{server}/ergast/f1`. The path is the base, then `/{season}`, `/{round}`, `/grid/{n}`,
  `/fastest/{n}`, the driver / constructor / circuit / status selectors (or, when the endpoint is that
  table, `drivers/{id}` as the endpoint itself), a standings position as `driverStandings/{n}`, a
  results position as `{results|qualifying|sprint}/{n}` (else the filter `/results/{n}`), a lap as
  `laps/{n}`, a stop as `pitstops/{n}`, then `.json` with `limit` and `offset` query parameters
  (absent ones dropped). Paging: a response is complete when its offset is 0 and its limit covers its
  total; the next page asks for offset + the limit the response reports (MRData.limit), until
  offset + limit reaches the total. Any non-200 answer raises.
- ergast-py style (`ergast_py.requester`): the URI template
  `https://ergast.com/api/f1{/season}{/round}{/criteria*}{/resource}{/value}.json{?limit,offset}`
  with ergast.com hard-coded, fetched with `requests.get(url)`. It is pointed at us by wrapping
  `requests.get` to rewrite `https://ergast.com/api/f1` to `{server}/api/f1` — the README's snippet,
  applied here (`point_requests_at`) to a stand-in `requests` module whose `get` uses urllib.

The checks: a season's race results paged with the FastF1 rule (at limit=100, at the default 30 where
races split across pages, and asking for 1000, which the server clamps), races merged by
(season, round) and each compared with its own `/{season}/{round}/results.json?limit=100`; driver
standings by position; qualifying by position; a driver's seasons; lap and pit-stop answers; an
unknown round (200, empty, total "0"); and bad input (a 4xx with a JSON error body). Prints one JSON
report on stdout; exits 1 with the reason on stderr when a request fails unexpectedly.

    python3 ergast_clients.py http://localhost:8000 --season 2023
"""

import argparse
import json
import sys
import types
import urllib.error
import urllib.parse
import urllib.request

REQUESTS = {"count": 0}


class HttpError(Exception):
    def __init__(self, url, status, body):
        super().__init__(f"HTTP {status} for {url}: {body[:200]}")
        self.status = status
        self.body = body


class Response:
    """The parts of a `requests.Response` the two clients read."""

    def __init__(self, status_code, text, reason, headers):
        self.status_code = status_code
        self.text = text
        self.reason = reason
        self.headers = headers

    def json(self):
        return json.loads(self.text)


def http_get(url, timeout=30):
    REQUESTS["count"] += 1
    req = urllib.request.Request(url, headers={"accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return Response(res.status, res.read().decode("utf-8"), res.reason, dict(res.headers))
    except urllib.error.HTTPError as err:
        return Response(err.code, err.read().decode("utf-8", "replace"), err.reason, dict(err.headers))


# ---------------------------------------------------------------------------------------------------
# FastF1 style
# ---------------------------------------------------------------------------------------------------

# As `fastf1.ergast.interface.BASE_URL`: a module constant, read when each URL is built.
BASE_URL = "https://api.jolpi.ca/ergast/f1"


class FastF1Style:
    """URL building and paging in the shape of `fastf1.ergast.Ergast` (our own code)."""

    def __init__(self, limit=None):
        self.limit = limit

    @staticmethod
    def build_url(endpoint, season=None, round_=None, grid_position=None, fastest_rank=None,
                  driver=None, constructor=None, circuit=None, status=None,
                  standings_position=None, results_position=None, lap_number=None,
                  stop_number=None):
        path = []
        if season is not None:
            path.append(f"/{season}")
            if round_ is not None:
                path.append(f"/{round_}")
        if grid_position is not None:
            path.append(f"/grid/{grid_position}")
        if fastest_rank is not None:
            path.append(f"/fastest/{fastest_rank}")
        # A selector whose table is the endpoint becomes the endpoint's value (drivers/{id}.json).
        for table, value in (("drivers", driver), ("constructors", constructor),
                             ("circuits", circuit), ("status", status)):
            if value is None:
                continue
            if endpoint == table:
                endpoint = f"{table}/{value}"
            else:
                path.append(f"/{table}/{value}")
        if standings_position is not None and endpoint in ("driverStandings", "constructorStandings"):
            endpoint = f"{endpoint}/{standings_position}"
        if results_position is not None:
            if endpoint in ("results", "qualifying", "sprint"):
                endpoint = f"{endpoint}/{results_position}"
            else:
                path.append(f"/results/{results_position}")
        if lap_number is not None and endpoint == "laps":
            endpoint = f"laps/{lap_number}"
        if stop_number is not None and endpoint == "pitstops":
            endpoint = f"pitstops/{stop_number}"
        return BASE_URL + "".join(path) + f"/{endpoint}.json"

    def get(self, endpoint, limit=None, offset=None, **selectors):
        url = self.build_url(endpoint, **selectors)
        limit = self.limit if limit is None else limit
        query = {k: v for k, v in (("limit", limit), ("offset", offset)) if v is not None}
        if query:
            url += "?" + urllib.parse.urlencode(query)
        res = http_get(url)
        if res.status_code != 200:
            raise HttpError(url, res.status_code, res.text)
        return FastF1Page(self, endpoint, selectors, res.json()["MRData"])


class FastF1Page:
    def __init__(self, client, endpoint, selectors, mrdata):
        self.client = client
        self.endpoint = endpoint
        self.selectors = selectors
        self.mrdata = mrdata
        self.limit = int(mrdata["limit"])
        self.offset = int(mrdata["offset"])
        self.total = int(mrdata["total"])

    @property
    def is_complete(self):
        return self.offset == 0 and self.limit >= self.total

    def get_next_result_page(self):
        if self.offset + self.limit >= self.total:
            raise ValueError("no more data after this page")
        return self.client.get(self.endpoint, limit=self.limit, offset=self.offset + self.limit,
                               **self.selectors)


def race_rows(race):
    """A race's innermost rows, whichever list the answer carries."""
    for key in ("Results", "QualifyingResults", "SprintResults", "Laps", "PitStops"):
        if key in race:
            return race[key]
    return []


def fastf1_season_results(client, season, limit):
    """Every page of a season's results by the FastF1 rule, races merged by (season, round)."""
    page = client.get("results", season=season, limit=limit)
    pages = [page]
    while not page.is_complete and page.offset + page.limit < page.total:
        page = page.get_next_result_page()
        pages.append(page)
    merged = {}
    split = set()
    rows_seen = 0
    for p in pages:
        for race in p.mrdata["RaceTable"]["Races"]:
            key = (race["season"], race["round"])
            rows = race_rows(race)
            rows_seen += len(rows)
            if key in merged:
                split.add(key)
                merged[key]["Results"].extend(rows)
            else:
                merged[key] = {**race, "Results": list(rows)}
    return {
        "requestedLimit": limit,
        "limits": sorted({p.limit for p in pages}),
        "pages": len(pages),
        "total": pages[0].total,
        "rows": rows_seen,
        "races": len(merged),
        "splitRaces": len(split),
    }, merged


def check_races_complete(client, merged):
    """Each merged race against its own answer: same rows, in the same order."""
    per_race = {}
    incomplete = []
    for (race_season, round_), race in sorted(merged.items(), key=lambda kv: int(kv[0][1])):
        own = client.get("results", season=race_season, round_=round_, limit=100)
        own_rows = race_rows(own.mrdata["RaceTable"]["Races"][0])
        ours = [(r["position"], r["Driver"]["driverId"]) for r in race["Results"]]
        theirs = [(r["position"], r["Driver"]["driverId"]) for r in own_rows]
        per_race[round_] = len(ours)
        if own.total != len(ours) or ours != theirs or not own.is_complete:
            incomplete.append(round_)
    return per_race, incomplete


def fastf1_checks(server, season):
    global BASE_URL
    BASE_URL = server.rstrip("/") + "/ergast/f1"
    client = FastF1Style()
    report = {"baseUrl": BASE_URL}

    paging = []
    merged_at_100 = None
    for limit in (100, 30, 1000):
        summary, merged = fastf1_season_results(client, season, limit)
        per_race, incomplete = check_races_complete(client, merged)
        summary["rowsPerRace"] = per_race
        summary["incompleteRaces"] = incomplete
        paging.append(summary)
        if limit == 100:
            merged_at_100 = merged
    report["seasonResults"] = paging
    report["winners"] = {
        rnd: race["Results"][0]["Driver"]["driverId"]
        for (_, rnd), race in sorted(merged_at_100.items(), key=lambda kv: int(kv[0][1]))
    }

    last = client.get("races", season=season, limit=100).total
    champion = client.get("driverStandings", season=season, round_=last, standings_position=1)
    lists = champion.mrdata["StandingsTable"]["StandingsLists"]
    report["driverStandingsP1"] = {
        "url": champion.mrdata["url"],
        "round": lists[0]["round"],
        "rows": len(lists[0]["DriverStandings"]),
        "driverId": lists[0]["DriverStandings"][0]["Driver"]["driverId"],
        "points": lists[0]["DriverStandings"][0]["points"],
        "wins": lists[0]["DriverStandings"][0]["wins"],
    }
    full = client.get("driverStandings", season=season, limit=100)
    rows = full.mrdata["StandingsTable"]["StandingsLists"][0]["DriverStandings"]
    report["driverStandings"] = {"total": full.total, "positions": [s["position"] for s in rows]}

    pole = client.get("qualifying", season=season, round_=12, results_position=1)
    q_races = pole.mrdata["RaceTable"]["Races"]
    report["qualifyingP1"] = {
        "total": pole.total,
        "round": q_races[0]["round"],
        "driverId": q_races[0]["QualifyingResults"][0]["Driver"]["driverId"],
        "position": q_races[0]["QualifyingResults"][0]["position"],
    }

    seasons = client.get("seasons", driver="alonso", limit=100)
    report["driverSeasons"] = {
        "url": seasons.mrdata["url"],
        "seasons": [s["season"] for s in seasons.mrdata["SeasonTable"]["Seasons"]],
    }

    lap = client.get("laps", season=season, round_=10, lap_number=1)
    lap_races = lap.mrdata["RaceTable"]["Races"]
    timings = lap_races[0]["Laps"][0]["Timings"] if lap_races else []
    report["lap"] = {
        "total": lap.total,
        "number": lap_races[0]["Laps"][0]["number"] if lap_races else None,
        "timings": len(timings),
        "leader": timings[0] if timings else None,
    }

    stops = client.get("pitstops", season=season, round_=10, stop_number=2)
    report["pitStopsNumber2"] = {
        "total": stops.total,
        "stops": sorted({p["stop"] for r in stops.mrdata["RaceTable"]["Races"] for p in r["PitStops"]}),
    }

    unknown = client.get("results", season=season, round_=99)
    report["unknownRound"] = {
        "total": unknown.mrdata["total"],
        "races": len(unknown.mrdata["RaceTable"]["Races"]),
    }

    bad = []
    for path in (f"/{season}/foo.json", f"/{season}/1/results.json?limit=abc", "/drivers/alonso/nope.json"):
        res = http_get(BASE_URL + path)
        try:
            body = json.loads(res.text)
        except ValueError:
            body = None
        bad.append({
            "path": path,
            "status": res.status_code,
            "json": isinstance(body, dict),
            "code": body.get("code") if isinstance(body, dict) else None,
            "message": body.get("message") if isinstance(body, dict) else None,
        })
    report["badInput"] = bad
    try:
        client.get("results", season=season, round_="foo")
        report["clientRaised"] = None
    except HttpError as err:
        report["clientRaised"] = err.status
    return report


# ---------------------------------------------------------------------------------------------------
# ergast-py style
# ---------------------------------------------------------------------------------------------------

# A stand-in for the `requests` module: ergast-py looks `requests.get` up at every call.
requests = types.SimpleNamespace(get=http_get)


def point_requests_at(requests_module, server):
    """The README's snippet: send ergast-py's hard-coded ergast.com URLs to our server instead."""
    ergast_get = requests_module.get

    def our_server(url, *args, **kwargs):
        url = url.replace("https://ergast.com/api/f1", server + "/api/f1", 1)
        return ergast_get(url, *args, **kwargs)

    requests_module.get = our_server


def expand_segment(value):
    return "/" + urllib.parse.quote(str(value), safe="")


class ErgastPyStyle:
    """URLs in the shape of ergast-py's requester (our own code, not its)."""

    @staticmethod
    def url(season=None, round_=None, criteria=(), resource=None, value=None, limit=None, offset=None):
        # https://ergast.com/api{/series}{/season}{/round}{/criteria*}{/resource}{/value}.json{?limit,offset}
        out = "https://ergast.com/api" + expand_segment("f1")
        for part in (season, round_):
            if part is not None:
                out += expand_segment(part)
        for part in criteria:
            out += expand_segment(part)
        for part in (resource, value):
            if part is not None:
                out += expand_segment(part)
        out += ".json"
        query = [(k, v) for k, v in (("limit", limit), ("offset", offset)) if v is not None]
        if query:
            out += "?" + urllib.parse.urlencode(query)
        return out

    def run_request(self, **parts):
        url = self.url(**parts)
        response = requests.get(url)
        if response.status_code == 200:
            return json.loads(response.text)
        raise HttpError(url, response.status_code, response.text)

    @staticmethod
    def criteria(filters, resource):
        """Filter pairs in ergast-py's order, the resource's own filter left out (it is the value)."""
        out = []
        for key, value in filters:
            if key != resource and value is not None:
                out += [key, value]
        return out

    def results_family(self, resource, season=None, round_=None, driver=None, constructor=None,
                       grid=None, qualifying=None, sprint=None, fastest=None, circuit=None,
                       status=None, result=None, limit=None, offset=None):
        filters = [("drivers", driver), ("constructors", constructor), ("grid", grid),
                   ("qualifying", qualifying), ("sprint", sprint), ("fastest", fastest),
                   ("circuits", circuit), ("status", status), ("results", result)]
        value = dict(filters).get(resource)
        return self.run_request(season=season, round_=round_, criteria=self.criteria(filters, resource),
                                resource=resource, value=value, limit=limit, offset=offset)

    def standings(self, resource, season=None, round_=None, standing=None, driver=None,
                  constructor=None, limit=None, offset=None):
        filters = [("drivers", driver), ("constructors", constructor)]
        return self.run_request(season=season, round_=round_, criteria=self.criteria(filters, resource),
                                resource=resource, value=standing, limit=limit, offset=offset)

    def laps_pit_stops(self, resource, season, round_, lap=None, pit_stop=None, driver=None,
                       limit=None, offset=None):
        filters = [("pitstops", pit_stop), ("laps", lap), ("drivers", driver)]
        value = dict(filters).get(resource)
        return self.run_request(season=season, round_=round_, criteria=self.criteria(filters, resource),
                                resource=resource, value=value, limit=limit, offset=offset)


def ergast_py_checks(server, season):
    plain_get = requests.get
    point_requests_at(requests, server.rstrip("/"))
    # Outside the redirect, the URLs as ergast-py builds them (all to ergast.com).
    seen = []
    redirected = requests.get

    def recording(url, *args, **kwargs):
        seen.append(url)
        return redirected(url, *args, **kwargs)

    requests.get = recording
    e = ErgastPyStyle()
    report = {}

    standings = e.standings("driverStandings", season=season, round_=22, standing=1)["MRData"]
    top = standings["StandingsTable"]["StandingsLists"][0]["DriverStandings"][0]
    report["driverStandingsP1"] = {"driverId": top["Driver"]["driverId"], "points": top["points"]}

    alonso = e.standings("driverStandings", season=season, driver="alonso")["MRData"]
    row = alonso["StandingsTable"]["StandingsLists"][0]["DriverStandings"]
    report["alonsoStanding"] = {"rows": len(row), "position": row[0]["position"], "points": row[0]["points"]}

    pole = e.results_family("qualifying", season=season, round_=12, qualifying=1)["MRData"]
    report["qualifyingP1"] = pole["RaceTable"]["Races"][0]["QualifyingResults"][0]["Driver"]["driverId"]

    seasons = e.results_family("seasons", driver="piastri")["MRData"]
    report["driverSeasons"] = [s["season"] for s in seasons["SeasonTable"]["Seasons"]]

    winners = e.results_family("results", season=season, result=1, limit=100)["MRData"]
    report["winners"] = {
        "total": winners["total"],
        "byRound": {r["round"]: r["Results"][0]["Driver"]["driverId"] for r in winners["RaceTable"]["Races"]},
    }

    laps = e.laps_pit_stops("laps", season=season, round_=10, lap=1, driver="norris")["MRData"]
    lap_rows = laps["RaceTable"]["Races"][0]["Laps"]
    report["lap"] = {"total": laps["total"], "timing": lap_rows[0]["Timings"][0]}

    pages = []
    offset = 0
    while True:
        page = e.laps_pit_stops("pitstops", season=season, round_=18, limit=30, offset=offset)["MRData"]
        pages.append(len(page["RaceTable"]["Races"][0]["PitStops"]) if page["RaceTable"]["Races"] else 0)
        offset += int(page["limit"])
        if offset >= int(page["total"]):
            break
    report["pitStops"] = {"total": int(page["total"]), "pages": pages}

    unknown = e.results_family("results", season=season, round_=99)["MRData"]
    report["unknownRound"] = {"total": unknown["total"], "races": len(unknown["RaceTable"]["Races"])}

    try:
        e.run_request(season=season, resource="foo")
        report["badInput"] = None
    except HttpError as err:
        report["badInput"] = {"status": err.status, "code": json.loads(err.body).get("code")}

    requests.get = plain_get
    report["urlsAsBuilt"] = seen[:3]
    report["requestsMade"] = len(seen)
    report["allToErgastCom"] = all(u.startswith("https://ergast.com/api/f1/") for u in seen)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server", help="the server's base URL, e.g. http://localhost:8000")
    parser.add_argument("--season", type=int, default=2023)
    args = parser.parse_args(argv)
    try:
        fastf1 = fastf1_checks(args.server, args.season)
        ergast_py = ergast_py_checks(args.server, args.season)
    except (HttpError, urllib.error.URLError, KeyError, IndexError, ValueError) as err:
        print(f"error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    print(json.dumps({"fastf1": fastf1, "ergastPy": ergast_py, "requests": REQUESTS["count"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
