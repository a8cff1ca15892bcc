"""Scrapes the emulator's /metrics as a Prometheus server would and parses it with the Prometheus project's own
text-format parser (prometheus_client.parser); prints the metric families as JSON on stdout.

Environment: DVE_METRICS_URL (the full /metrics URL), DVE_TOKEN (a bearer token, optional).
Exit codes: 0 parsed, 1 the endpoint or the format is wrong, 2 misconfigured, 3 the parser is not installed
(python3 -m pip install -r clients/python/requirements.txt).
"""
import json
import os
import sys
import urllib.error
import urllib.request

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("prometheus-client is not installed: python3 -m pip install -r clients/python/requirements.txt", file=sys.stderr)
    sys.exit(3)


def main() -> int:
    url = os.environ.get("DVE_METRICS_URL")
    if not url:
        print("DVE_METRICS_URL is not set", file=sys.stderr)
        return 2
    request = urllib.request.Request(url, headers={"Accept": "text/plain;version=0.0.4;q=0.9,*/*;q=0.1"})
    if os.environ.get("DVE_TOKEN"):
        request.add_header("Authorization", "Bearer " + os.environ["DVE_TOKEN"])
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            content_type = response.headers.get("Content-Type", "")
            body = response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        print(f"GET {url} answered {e.code}: {e.read().decode('utf-8', 'replace')}", file=sys.stderr)
        return 1
    if not content_type.startswith("text/plain"):
        print(f"GET {url} answered Content-Type {content_type}, not the Prometheus text format", file=sys.stderr)
        return 1
    families = []
    try:
        for family in text_string_to_metric_families(body):
            families.append({
                "name": family.name,
                "type": family.type,
                "help": family.documentation,
                "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples],
            })
    except ValueError as e:
        print(f"not valid Prometheus text format: {e}", file=sys.stderr)
        return 1
    json.dump({"contentType": content_type, "families": families}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
