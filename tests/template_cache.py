"""Templates compiled once per test session, not once per app.

Every test builds its own Flask app, and each app has its own Jinja environment, which parses and
compiles every template it renders anew: about two thirds of what an app costs a test (50 ms of
the 80 ms of building an app and rendering its start page). Jinja's own bytecode cache is made
for this: the compiled code is kept by template file, checked against a hash of its source
(an edited template is compiled again), and loaded into each new environment. Every app is built
with the same Jinja options by create_app, so the code is the same in each; only the compiling is
saved. Kept in memory for the session; nothing is written to disk.
"""

from __future__ import annotations

from flask import Flask
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


class SessionBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # refused by the bucket when the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


SHARED = SessionBytecodeCache()
_real_create_jinja_environment = Flask.create_jinja_environment


def _create_jinja_environment(app: Flask) -> Environment:
    environment = _real_create_jinja_environment(app)
    environment.bytecode_cache = SHARED
    return environment


def install() -> None:
    Flask.create_jinja_environment = _create_jinja_environment  # type: ignore[method-assign]
