#!/usr/bin/env python3
"""A client of the F1 Analytics REST API using only the Python standard library.

As an ML service would: authenticate with an API key, read the entry list of a race, submit a
prediction set for it over REST, submit it again (idempotent: "unchanged"), then read the race's
predictions back and check they are the ones sent. Prints one JSON report on stdout; exits 1 with
the API's error code and message on stderr when a call fails.

    python3 f1_rest_client.py http://localhost:8000 --api-key f1k_... --season 2024 --round 5
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code


class F1Api:
    def __init__(self, base_url, api_key=None, timeout=30):
        self.base = base_url.rstrip("/") + "/api/v1"
        self.api_key = api_key
        self.timeout = timeout
        self.last_headers = {}

    def request(self, method, path, query=None, body=None):
        url = self.base + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = {"accept": "application/json", "user-agent": "f1-python-stdlib-client/1.0"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["content-type"] = "application/json"
        if self.api_key:
            headers["x-api-key"] = self.api_key
        for attempt in range(2):
            req = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as res:
                    self.last_headers = {k.lower(): v for k, v in res.headers.items()}
                    return json.loads(res.read().decode("utf-8"))
            except urllib.error.HTTPError as err:
                payload = err.read().decode("utf-8", "replace")
                try:
                    error = json.loads(payload)
                except ValueError:
                    error = {"code": "HTTP_ERROR", "message": payload[:200]}
                # A rate-limited call is retried once, after the delay the server asks for.
                if err.code == 429 and attempt == 0:
                    time.sleep(min(float(err.headers.get("retry-after", "1")), 10))
                    continue
                raise ApiError(err.code, error.get("code"), error.get("message")) from None
        raise AssertionError("unreachable")

    def get(self, path, **query):
        return self.request("GET", path, query=query)

    def post(self, path, body):
        return self.request("POST", path, body=body)


def entry_list(api, season, round_):
    """The drivers classified in the race, in finishing order (a stand-in for a model's ranking)."""
    results = api.get(f"/seasons/{season}/races/{round_}/results")
    return [row["driver"]["driverId"] for row in results["rows"]]


def predictions_for(drivers):
    """A valid prediction for the field, probabilities falling with the predicted position.

    The API's rules: win probabilities sum to 1, podium probabilities to 3 (the field size when
    smaller), and each driver's podium probability is at least their win probability.
    """
    weights = [1.0 / (i + 1) for i in range(len(drivers))]
    win = [w / sum(weights) for w in weights]
    target = min(3, len(drivers))
    # podium_i = min(1, k * win_i), with k found by bisection so that the podium sum hits the target.
    low, high = 1.0, 1000.0
    for _ in range(100):
        k = (low + high) / 2
        if sum(min(1.0, k * w) for w in win) < target:
            low = k
        else:
            high = k
    podium = [min(1.0, high * w) for w in win]
    return [
        {
            "driverId": driver,
            "predictedPosition": i + 1,
            "winProbability": round(win[i], 6),
            "podiumProbability": round(max(podium[i], win[i]), 6),
        }
        for i, driver in enumerate(drivers)
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--season", type=int, required=True)
    parser.add_argument("--round", type=int, required=True)
    parser.add_argument("--model", default="python-stdlib")
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--backtest", action="store_true", help="a retrospective set (past races)")
    args = parser.parse_args(argv)

    api = F1Api(args.base_url, api_key=args.api_key)
    try:
        me = api.get("/auth/me")
        drivers = entry_list(api, args.season, args.round)
        prediction = {
            "season": args.season,
            "round": args.round,
            "model": args.model,
            "version": args.version,
            "backtest": args.backtest,
            "idempotencyKey": f"{args.model}-{args.version}-{args.season}-{args.round}",
            "entries": predictions_for(drivers),
        }
        first = api.post("/predictions", prediction)
        rate_limit = {k: v for k, v in api.last_headers.items() if k.startswith("ratelimit-")}
        again = api.post("/predictions", prediction)
        stored = api.get(
            f"/seasons/{args.season}/races/{args.round}/predictions",
            model=args.model,
            backtest="true" if args.backtest else "false",
        )
    except ApiError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1

    sets = [s for s in stored["sets"] if s["model"] == args.model and s["version"] == args.version]
    read_back = [
        {k: e[k] for k in ("driverId", "predictedPosition", "winProbability", "podiumProbability")}
        for e in (sets[0]["entries"] if sets else [])
    ]
    report = {
        "principal": me.get("kind"),
        "role": (me.get("apiKey") or me.get("user") or {}).get("role"),
        "drivers": drivers,
        "submitted": {"status": first["status"], "setId": first["setId"], "entries": first["entryCount"]},
        "resubmitted": {"status": again["status"], "setId": again["setId"]},
        "rateLimit": rate_limit,
        "readBack": {"sets": len(sets), "matches": read_back == prediction["entries"]},
    }
    print(json.dumps(report))
    return 0 if report["readBack"]["matches"] else 1


if __name__ == "__main__":
    sys.exit(main())
