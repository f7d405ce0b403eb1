"""The bare baseline for bench/api_bench.py: one Flask route that parses a JSON body and returns JSON."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/")
def ready() -> Any:
    return "ok"


@app.post("/api/v1/evaluate")
def evaluate() -> Any:
    body = request.get_json()
    return jsonify({"answers": body.get("answers") if isinstance(body, dict) else None})
