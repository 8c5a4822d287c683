# Shared by the bench/ scripts: HTTP to the cluster, starting and stopping a test cluster, the Flickr8k
# fixtures, and figures. Standard library only (numpy where a script needs vectors).
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("SHARED_DIR", os.path.join(os.path.dirname(REPO_ROOT), "shared"))
FLICKR = os.path.join(SHARED, "datasets", "flickr8k-test1000-224")
MINI_CLIP = os.path.join(SHARED, "models", "mini-clip-flickr8k")
PIPELINE_FILE = os.path.join(REPO_ROOT, "ingest-pipelines", "clip-images.pipeline.json")
TEMPLATE_FILE = os.path.join(REPO_ROOT, "ingest-pipelines", "clip-images.index-template.json")


class HttpError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body


class Client:
    """One keep-alive connection to one node; not thread-safe (one per thread)."""

    def __init__(self, url, timeout=120):
        parsed = urllib.parse.urlparse(url)
        self.url = url.rstrip("/")
        self.host, self.port, self.timeout = parsed.hostname, parsed.port, timeout
        self.conn = None

    def raw(self, method, path, body=None, content_type="application/json"):
        """(status, parsed JSON or text); a dropped keep-alive connection is reopened once."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers={"Content-Type": content_type} if body else {})
                resp = self.conn.getresponse()
                data = resp.read().decode()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt:
                    raise
        try:
            return resp.status, json.loads(data) if data else None
        except json.JSONDecodeError:
            return resp.status, data

    def call(self, method, path, body=None, content_type="application/json"):
        status, data = self.raw(method, path, body, content_type)
        if status >= 300:
            raise HttpError(status, json.dumps(data) if not isinstance(data, str) else data)
        return data

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def log(*parts):
    print(*parts, flush=True)


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cores():
    return os.cpu_count()


def environment_line():
    return f"{cores()} cores, load average {load_average()} (1/5/15 min), {time.strftime('%Y-%m-%d %H:%M:%S %Z')}"


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), int(-(-p * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


def summary_ms(values):
    s = sorted(values)
    return {"n": len(s), "p50": percentile(s, 50), "p95": percentile(s, 95), "p99": percentile(s, 99),
            "mean": statistics.fmean(s) if s else float("nan")}


def table(headers, rows):
    """A Markdown table, numbers right-aligned as printed."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    for r in cells:
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    return "\n".join(out)


# ---- Java benches run with the plugin's own classes ----

def java_home():
    return os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")


def plugin_classpath():
    """target/classes and the plugin's runtime classpath (compiled and resolved with Maven when stale)."""
    classes = os.path.join(REPO_ROOT, "target", "classes")
    marker = os.path.join(classes, "org", "opensearch", "cliphybrid", "model", "ModelFolder.class")
    src = os.path.join(REPO_ROOT, "src", "main")
    newest = max(os.path.getmtime(os.path.join(d, f)) for d, _, fs in os.walk(src) for f in fs)
    if not os.path.exists(marker) or os.path.getmtime(marker) < newest:
        subprocess.run(["mvn", "-B", "-q", "compile"], cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL)
    cp_file = os.path.join(REPO_ROOT, "target", "bench-classpath.txt")
    if not os.path.exists(cp_file) or os.path.getmtime(cp_file) < os.path.getmtime(os.path.join(REPO_ROOT, "pom.xml")):
        subprocess.run(["mvn", "-B", "-q", "dependency:build-classpath", "-Dmdep.includeScope=provided",
                        f"-Dmdep.outputFile={cp_file}"], cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL)
    with open(cp_file) as f:
        return classes + ":" + f.read().strip()


def java_bench(source, options):
    """Runs bench/java/<source> with the plugin's classpath and --name value options; returns its RESULT json."""
    work = os.path.join(REPO_ROOT, "target", "bench-java")
    os.makedirs(os.path.join(work, "tmp"), exist_ok=True)
    # an argument file: onnxruntime crashes while loading when the command line is longer than about 4 KiB
    args_file = os.path.join(work, "classpath.args")
    with open(args_file, "w") as f:
        f.write("-cp\n" + plugin_classpath() + "\n")
    args = [os.path.join(java_home(), "bin", "java"), "-XX:-UsePerfData", f"-Djava.io.tmpdir={work}/tmp",
            "--enable-native-access=ALL-UNNAMED", "@" + args_file, os.path.join(REPO_ROOT, "bench", "java", source)]
    for name, value in options.items():
        args += [f"--{name}", str(value)]
    out = subprocess.run(args, stdout=subprocess.PIPE, text=True, check=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[len("RESULT "):])


# ---- test clusters ----

def start_cluster(directory, port, nodes=1, plugins="", model=None, heap="1g", extra=()):
    args = [os.path.join(REPO_ROOT, "test-cluster", "start"), "--dir", directory, "--http-port", str(port),
            "--nodes", str(nodes), "--no-demo", "--heap", heap]
    if plugins:
        args += ["--plugins", plugins]
    if model:
        args += ["--model", model]
    args += list(extra)
    log(f"$ {' '.join(args)}")
    t0 = time.time()
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout)
        raise SystemExit(f"test-cluster/start failed ({result.returncode})")
    log(f"cluster up in {time.time() - t0:.1f} s: {nodes} node(s) on http://127.0.0.1:{port}")
    return f"http://127.0.0.1:{port}"


def stop_cluster(directory):
    subprocess.run([os.path.join(REPO_ROOT, "test-cluster", "stop"), "--dir", directory], check=False,
                   stdout=subprocess.DEVNULL)


def node_pid(directory, node):
    """The JVM pid of node-<node> of a test-cluster folder, checked against its command line."""
    with open(os.path.join(directory, f"node-{node}", "opensearch.pid")) as f:
        pid = int(f.read().strip())
    conf = f"-Dopensearch.path.conf={os.path.realpath(directory)}/node-{node}/config"
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        if conf.encode() not in f.read().split(b"\0"):
            raise RuntimeError(f"pid {pid} is not node-{node} of {directory}")
    return pid


# ---- Flickr8k fixtures ----

def flickr_captions():
    """{image file: [caption 0..4]} for the 1000 test images."""
    captions = {}
    with open(os.path.join(FLICKR, "captions.tsv")) as f:
        next(f)
        for line in f:
            image, index, caption = line.rstrip("\n").split("\t")
            captions.setdefault(image, {})[int(index)] = caption
    return {image: [c[i] for i in sorted(c)] for image, c in sorted(captions.items())}


def put_clip_images_pipeline_and_template(client, dimension=256):
    with open(PIPELINE_FILE) as f:
        client.call("PUT", "/_ingest/pipeline/clip-images", f.read())
    with open(TEMPLATE_FILE) as f:
        template = json.load(f)
    template["template"]["mappings"]["properties"]["image_vector"]["dimension"] = dimension
    client.call("PUT", "/_index_template/clip-images", template)


def bulk_body(actions):
    """NDJSON for _bulk from (action dict, source dict or None) pairs."""
    lines = []
    for action, source in actions:
        lines.append(json.dumps(action))
        if source is not None:
            lines.append(json.dumps(source))
    return "\n".join(lines) + "\n"


def embed_texts(client, texts, model=None, batch=64):
    vectors = []
    for i in range(0, len(texts), batch):
        body = {"texts": texts[i:i + batch]}
        if model:
            body["model"] = model
        # entries are {"text", "embedding"} objects on this branch, bare arrays in the first contract draft
        vectors += [e["embedding"] if isinstance(e, dict) else e
                    for e in client.call("POST", "/_plugins/clip/_embed", body)["texts"]]
    return vectors


def bulk_load(url, index, count, source_json, batch=1000, senders=2):
    """Indexes documents 0..count-1 with _id str(i) and the JSON source source_json(i), from `senders` threads
    (the node has as many write threads as cores). Fails on any item error."""
    import threading
    batches = [range(s, min(s + batch, count)) for s in range(0, count, batch)]
    failures = []

    def send(part):
        c = Client(url, timeout=3600)
        for ids in part:
            body = "".join(f'{{"index":{{"_id":"{i}"}}}}\n{source_json(i)}\n' for i in ids)
            resp = c.call("POST", f"/{index}/_bulk", body, "application/x-ndjson")
            if resp["errors"]:
                failures.append(next(it for it in resp["items"] if it["index"].get("error")))
                return

    threads = [threading.Thread(target=send, args=(batches[i::senders],)) for i in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit(f"bulk into {index} failed: {failures[0]}")
