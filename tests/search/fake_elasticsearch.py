"""An Elasticsearch cluster faked at the HTTP level, for the tests of the Elasticsearch backend
without a cluster: an `elastic_transport` node class that answers the client's requests from
an in-memory model of indices, aliases and documents, the way Elasticsearch 8 does for the
requests the backend makes. The real client, its serialisation, retries and headers run; only
the socket is replaced.

It knows what the backend's correctness depends on (index creation with a body, aliases and
their atomic swap, auto-creation of an index with a dynamic mapping when a write names
neither an index nor an alias, `require_alias`, `ignore_unavailable`, per-item bulk errors,
privileges) and nothing of scoring: a search returns the documents of the indices it names,
filtered by `doc_type` when asked, without ranking.

Use: `cluster = FakeCluster()`, then `settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class":
cluster.node_class}`. `cluster.requests` records every request; `cluster.fail(...)` queues
faults."""

import fnmatch
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, ConnectionTimeout, HttpHeaders
from elastic_transport._models import NodeConfig
from elastic_transport._node import NodeApiResponse

PRODUCT = {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}


@dataclass
class Request:
    method: str
    path: str
    params: dict
    headers: dict
    body: object  # parsed JSON, a list for NDJSON, or None
    timeout: object = None


@dataclass
class Index:
    name: str
    settings: dict = field(default_factory=dict)
    mappings: dict = field(default_factory=dict)
    aliases: set = field(default_factory=set)
    docs: dict = field(default_factory=dict)
    auto_created: bool = False


@dataclass
class Fault:
    method: str
    pattern: str
    status: int = 0  # an HTTP status, or 0 for a timeout
    times: int = 1
    body: dict | None = None


class FakeCluster:
    """The state of one fake cluster; `node_class` is a node class bound to it."""

    def __init__(self, *, privileges=("read", "write", "manage")):
        self.indices: dict[str, Index] = {}
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        # Cluster privileges the credentials hold: without "monitor", /_cluster/* is 403.
        self.privileges = set(privileges)
        cluster = self

        class Node(FakeNode):
            pass

        Node.cluster = cluster
        self.node_class = Node

    # Faults and inspection -----------------------------------------------------------

    def fail(self, method, pattern, *, status=0, times=1, body=None):
        """The next TIMES requests METHOD (None: any) matching PATTERN (a regex on the path)
        fail with STATUS (0: the connection times out)."""
        self.faults.append(Fault(method, pattern, status, times, body))

    def calls(self, method=None, pattern=""):
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and re.search(pattern, r.path)
        ]

    def alias_targets(self, alias) -> list[str]:
        return sorted(name for name, index in self.indices.items() if alias in index.aliases)

    def docs(self, alias_or_index) -> dict:
        found = {}
        for name in self._resolve(alias_or_index):
            found.update(self.indices[name].docs)
        return found

    # Resolution ----------------------------------------------------------------------

    def _resolve(self, expression, *, ignore_unavailable=False, wildcards=True):
        """Index names for a comma-separated list of names, aliases or patterns; raises
        KeyError(name) for a missing one unless IGNORE_UNAVAILABLE."""
        names = []
        for part in (p for p in expression.split(",") if p):
            if wildcards and "*" in part:
                names += [n for n in self.indices if fnmatch.fnmatchcase(n, part)]
                names += [n for n, i in self.indices.items() if fnmatch.filter(i.aliases, part)]
            elif part in self.indices:
                names.append(part)
            elif targets := self.alias_targets(part):
                names += targets
            elif not ignore_unavailable:
                raise KeyError(part)
        return list(dict.fromkeys(names))

    def _is_alias(self, name):
        return any(name in index.aliases for index in self.indices.values())

    # Answering -----------------------------------------------------------------------

    def handle(self, request: Request):
        for fault in self.faults:
            if fault.method in (None, request.method) and re.search(fault.pattern, request.path):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                if not fault.status:
                    raise ConnectionTimeout("Connection timed out during request")
                return fault.status, fault.body or _error(fault.status, "injected")
        parts = [unquote(p) for p in request.path.strip("/").split("/") if p]
        method, params = request.method, request.params
        try:
            return self._route(method, parts, params, request.body)
        except KeyError as missing:
            return 404, _error(404, "index_not_found_exception", f"no such index [{missing}]")
        except _Refused as exc:
            return 400, _error(400, "invalid_alias_name_exception", str(exc))

    def _route(self, method, parts, params, body):
        if parts[:1] == ["_cluster"]:
            if "monitor" not in self.privileges:
                return 403, _error(403, "security_exception", "action [cluster:monitor/health]")
            return 200, {"status": "green"}
        if parts == ["_aliases"] and method == "POST":
            return self._update_aliases(body)
        if parts[:1] == ["_alias"]:
            return self._get_alias(method, parts[1])
        if parts[-1:] == ["_bulk"]:
            return self._bulk(body, parts[0] if len(parts) == 2 else None, params)
        if len(parts) == 1 and method == "PUT":
            return self._create(parts[0], body or {})
        if len(parts) == 1 and method == "DELETE":
            names = self._resolve(parts[0], wildcards=False)
            if any(self._is_alias(part) for part in parts[0].split(",")):
                return 400, _error(400, "illegal_argument_exception", "alias given to delete")
            for name in names:
                del self.indices[name]
            return 200, {"acknowledged": True}
        if len(parts) == 1 and method in ("GET", "HEAD"):
            names = self._resolve(parts[0], ignore_unavailable="*" in parts[0])
            return 200, {
                n: {
                    "aliases": {a: {} for a in self.indices[n].aliases},
                    "mappings": self.indices[n].mappings,
                    "settings": {"index": self.indices[n].settings},
                }
                for n in names
            }
        if len(parts) == 3 and parts[1] == "_alias" and method == "PUT":
            for name in self._resolve(parts[0], wildcards=False):
                self._add_alias(name, parts[2])
            return 200, {"acknowledged": True}
        if len(parts) == 3 and parts[1] == "_doc" and method == "DELETE":
            name = self._write_target(parts[0], require_alias=False)
            if parts[2] in self.indices[name].docs:
                del self.indices[name].docs[parts[2]]
                return 200, {"result": "deleted", "_id": parts[2]}
            return 404, {"result": "not_found", "_id": parts[2]}
        if len(parts) == 2 and parts[1] == "_refresh":
            self._resolve(parts[0], ignore_unavailable=_flag(params, "ignore_unavailable"))
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if len(parts) == 2 and parts[1] == "_count":
            names = self._resolve(parts[0], ignore_unavailable=_flag(params, "ignore_unavailable"))
            return 200, {"count": sum(len(self.indices[n].docs) for n in names)}
        if len(parts) == 2 and parts[1] == "_search":
            return self._search(parts[0], params, body or {})
        return 400, _error(400, "fake_not_supported", f"{method} /{'/'.join(parts)}")

    def _create(self, name, body):
        if name in self.indices or self._is_alias(name):
            return 400, _error(400, "resource_already_exists_exception", name)
        self.indices[name] = Index(
            name,
            settings=(body.get("settings") or {}),
            mappings=(body.get("mappings") or {}),
        )
        for alias in body.get("aliases") or {}:
            self._add_alias(name, alias)
        return 200, {"acknowledged": True, "index": name}

    def _add_alias(self, index, alias):
        if alias in self.indices:
            raise _Refused(
                f"an index or data stream exists with the same name as the alias [{alias}]"
            )
        self.indices[index].aliases.add(alias)

    def _get_alias(self, method, names):
        found = {}
        missing = []
        for alias in names.split(","):
            targets = self.alias_targets(alias)
            if not targets:
                missing.append(alias)
            for target in targets:
                found.setdefault(target, {"aliases": {}})["aliases"][alias] = {}
        if missing:
            if method == "HEAD":
                return 404, {}
            return 404, {**found, "error": f"alias [{','.join(missing)}] missing", "status": 404}
        return 200, found

    def _update_aliases(self, body):
        # All or nothing, as in Elasticsearch.
        before = {name: set(index.aliases) for name, index in self.indices.items()}
        removed = []
        try:
            for action in body["actions"]:
                ((kind, spec),) = action.items()
                if kind == "remove_index":
                    if spec["index"] not in self.indices or self._is_alias(spec["index"]):
                        raise KeyError(spec["index"])
                    removed.append(self.indices.pop(spec["index"]))
                    continue
                names = self._resolve(spec["index"], wildcards=False)
                for name in names:
                    if kind == "add":
                        self._add_alias(name, spec["alias"])
                    elif kind == "remove":
                        if spec["alias"] not in self.indices[name].aliases:
                            raise _Refused(f"aliases_not_found_exception [{spec['alias']}]")
                        self.indices[name].aliases.discard(spec["alias"])
        except (KeyError, _Refused) as exc:
            for index in removed:
                self.indices[index.name] = index
            for name, aliases in before.items():
                if name in self.indices:
                    self.indices[name].aliases = aliases
            if isinstance(exc, KeyError):
                raise
            return 400, _error(400, "illegal_argument_exception", str(exc))
        return 200, {"acknowledged": True}

    def _write_target(self, name, *, require_alias):
        if name in self.indices:
            if require_alias:
                raise _Refused(
                    f"[require_alias] request flag is [true] and [{name}] is not an alias"
                )
            return name
        targets = self.alias_targets(name)
        if len(targets) == 1:
            return targets[0]
        if len(targets) > 1:
            raise _Refused(f"no write index is defined for alias [{name}]")
        if require_alias:
            raise _Refused(f"[require_alias] request flag is [true] and [{name}] is not an alias")
        # What Elasticsearch does by default: a new index with a dynamic mapping.
        self.indices[name] = Index(name, auto_created=True)
        return name

    def _bulk(self, lines, default_index, params):
        items, errors = [], False
        lines = list(lines or [])
        require_alias = _flag(params, "require_alias")
        while lines:
            action = lines.pop(0)
            ((kind, meta),) = action.items()
            source = lines.pop(0) if kind in ("index", "create") else None
            name = meta.get("_index") or default_index
            try:
                target = self._write_target(
                    name, require_alias=require_alias or bool(meta.get("require_alias"))
                )
            except _Refused as exc:
                errors = True
                items.append({kind: {"_index": name, "_id": meta.get("_id"), "status": 404,
                                     "error": {"type": "index_not_found_exception",
                                               "reason": str(exc)}}})  # fmt: skip
                continue
            docs = self.indices[target].docs
            if kind == "create" and meta["_id"] in docs:
                errors = True
                items.append({kind: {"_index": target, "_id": meta["_id"], "status": 409,
                                     "error": {"type": "version_conflict_engine_exception",
                                               "reason": "document already exists"}}})  # fmt: skip
                continue
            if kind == "delete":
                status = 200 if docs.pop(meta["_id"], None) is not None else 404
            else:
                docs[meta["_id"]] = source
                status = 201
            items.append({kind: {"_index": target, "_id": meta["_id"], "status": status}})
        return 200, {"took": 1, "errors": errors, "items": items}

    def _search(self, expression, params, body):
        names = self._resolve(expression, ignore_unavailable=_flag(params, "ignore_unavailable"))
        doc_type = _term(body.get("query") or {}, "doc_type")
        hits = []
        for name in names:
            for doc_id, source in self.indices[name].docs.items():
                if doc_type is None or source.get("doc_type") == doc_type:
                    hits.append({"_index": name, "_id": doc_id, "_score": 1.0,
                                 "_source": _filtered(source, body.get("_source"))})  # fmt: skip
        size = body.get("size", 10)
        offset = body.get("from", 0)
        aggs = {name: {"buckets": []} for name in body.get("aggs") or {}}
        return 200, {
            "took": 1,
            "timed_out": False,
            "hits": {
                "total": {"value": len(hits), "relation": "eq"},
                "max_score": 1.0,
                "hits": hits[offset : offset + size],
            },
            "aggregations": aggs,
        }


class _Refused(Exception):
    pass


def _flag(params, name) -> bool:
    return str(params.get(name, "")).lower() == "true"


def _term(query, field_name):
    """The value of a `term` filter on FIELD_NAME anywhere in QUERY, else None."""
    if isinstance(query, dict):
        for key, value in query.items():
            if key == "term" and isinstance(value, dict) and field_name in value:
                found = value[field_name]
                return found.get("value") if isinstance(found, dict) else found
            if (found := _term(value, field_name)) is not None:
                return found
    elif isinstance(query, list):
        for item in query:
            if (found := _term(item, field_name)) is not None:
                return found
    return None


def _filtered(source, spec):
    if not isinstance(spec, dict):
        return source
    excludes = set(spec.get("excludes") or ())
    return {key: value for key, value in source.items() if key not in excludes}


def _error(status, kind, reason=""):
    return {"error": {"type": kind, "reason": reason or kind}, "status": status}


class FakeNode(BaseNode):
    """A node whose requests go to `cluster` instead of a socket."""

    cluster: FakeCluster

    def __init__(self, config: NodeConfig):
        super().__init__(config)
        self.node_config = config

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        url = urlsplit(target)
        sent = {k.lower(): v for k, v in {**self.headers, **(headers or {})}.items()}
        if body:
            text = body.decode()
            if url.path.endswith("/_bulk"):
                parsed = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                parsed = json.loads(text)
        else:
            parsed = None
        request = Request(
            method, url.path, dict(parse_qsl(url.query)), sent, parsed, timeout=request_timeout
        )
        self.cluster.requests.append(request)
        status, answer = self.cluster.handle(request)
        data = b"" if method == "HEAD" else json.dumps(answer).encode()
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(PRODUCT),
            duration=0.0,
            node=self.config,
        )
        return NodeApiResponse(meta, data)
