"""Figures from a G1 log written with -Xlog:gc*,gc+humongous=debug:file=...:utctime,tags (JDK 17+ line formats).

Humongous objects (at least half a region: 512 KiB at a 1 GiB heap) are counted two ways, both lower bounds:
* objects: at each young pause G1 lists every humongous object it holds (gc+humongous=debug, "Humongous region N
  (object size S @ ADDRESS)"); an object is new when the previous young pause did not list it at the same address and
  size, or reclaimed it. One allocated and freed between two pauses (by a Remark or Cleanup), or allocated after the
  last pause, is missed, and so is a new one of the same size at the address of one freed since the previous pause.
* regions: each pause prints "Humongous regions: BEFORE->AFTER"; BEFORE minus the previous pause's AFTER is what was
  allocated in between, less what a Remark or Cleanup freed meanwhile.
"""
import datetime
import math
import re

LINE = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})([+-]\d{4})\]\[([a-z,]+)\s*\] (.*)$")
GC_ID = re.compile(r"^GC\((\d+)\) (.*)$")
PAUSE_END = re.compile(r"^Pause (.+?) (\d+)([KMG])->(\d+)([KMG])\((\d+)([KMG])\) ([\d.]+)ms$")
HUMONGOUS_OBJECT = re.compile(r"^(Reclaimed humongous|Humongous) region \d+ \(object size (\d+) @ (0x[0-9a-f]+)\)")
HUMONGOUS_REGIONS = re.compile(r"^Humongous regions: (\d+)->(\d+)$")
REGION_SIZE = re.compile(r"^Heap Region Size: (\d+)([KMG])$")
UNIT = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def timestamp(text, offset):
    return datetime.datetime.strptime(text + offset, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def parse(lines, t_from=float("-inf"), t_to=float("inf")):
    """Figures of the pauses that began in [t_from, t_to] (epoch seconds), from an iterable of log lines."""
    region_bytes = None
    pause_start = {}          # gc id -> (time, kind) of each pause's gc,start line
    listed = {}               # gc id -> {(address, size)} that its young pause listed
    reclaimed = {}            # gc id -> {(address, size)} that it reclaimed
    regions = []              # (gc id, before, after)
    pauses = []               # (gc id, kind, before bytes, after bytes, capacity, ms)
    for line in lines:
        m = LINE.match(line.rstrip("\n"))
        if not m:
            continue
        when, tags, message = timestamp(m.group(1), m.group(2)), m.group(3), m.group(4)
        if tags == "gc,init":
            r = REGION_SIZE.match(message)
            if r:
                region_bytes = int(r.group(1)) * UNIT[r.group(2)]
            continue
        g = GC_ID.match(message)
        if not g:
            continue
        gc, rest = int(g.group(1)), g.group(2)
        if tags == "gc,start" and rest.startswith("Pause "):
            pause_start[gc] = (when, rest[len("Pause "):])
        elif tags == "gc,humongous":
            h = HUMONGOUS_OBJECT.match(rest)
            if h:
                key = (h.group(3), int(h.group(2)))
                (reclaimed if h.group(1).startswith("Reclaimed") else listed).setdefault(gc, set()).add(key)
        elif tags == "gc,heap":
            h = HUMONGOUS_REGIONS.match(rest)
            if h:
                regions.append((gc, int(h.group(1)), int(h.group(2))))
        elif tags == "gc":
            p = PAUSE_END.match(rest)
            if p:
                pauses.append((gc, p.group(1), int(p.group(2)) * UNIT[p.group(3)], int(p.group(4)) * UNIT[p.group(5)],
                               int(p.group(6)) * UNIT[p.group(7)], float(p.group(8))))

    def inside(gc):
        return gc in pause_start and t_from <= pause_start[gc][0] <= t_to

    young = sorted(gc for gc, (_, kind) in pause_start.items() if kind.startswith("Young"))
    new_objects, previous_survivors = [], set()
    for gc in young:
        now = listed.get(gc, set())
        if inside(gc):
            new_objects += sorted(now - previous_survivors)
        previous_survivors = now - reclaimed.get(gc, set())
    allocated_regions, previous_after = 0, None
    for gc, before, after in regions:
        if previous_after is not None and inside(gc):
            allocated_regions += max(0, before - previous_after)
        previous_after = after
    window = [p for p in pauses if inside(p[0])]
    sizes = [size for _, size in new_objects]
    return {
        "region_bytes": region_bytes,
        "pauses": len(window),
        "pause_ms_total": round(sum(p[5] for p in window), 1),
        "pause_ms_max": round(max((p[5] for p in window), default=0), 1),
        "full_gcs": sum(1 for p in window if p[1].startswith("Full")),
        "evacuation_failures": sum(1 for p in window if "Evacuation Failure" in p[1] or "To-space" in p[1]),
        "pauses_for_humongous_allocation": sum(1 for p in window if "G1 Humongous Allocation" in p[1]),
        "heap_before_gc_max_bytes": max((p[2] for p in window), default=0),
        "heap_after_gc_max_bytes": max((p[3] for p in window), default=0),
        "humongous_objects": len(new_objects),
        "humongous_object_bytes": sum(sizes),
        "humongous_object_max_bytes": max(sizes, default=0),
        "humongous_object_regions": sum(math.ceil(s / region_bytes) for s in sizes) if region_bytes else None,
        "humongous_regions_allocated": allocated_regions,
        "humongous_regions_max": max((r[1] for r in regions if inside(r[0])), default=0),
        "humongous_debug_lines": sum(len(v) for v in listed.values()) > 0,
    }


def parse_file(path, t_from=float("-inf"), t_to=float("inf")):
    with open(path, errors="replace") as f:
        return parse(f, t_from, t_to)


if __name__ == "__main__":
    import json
    import sys
    print(json.dumps(parse_file(sys.argv[1]), indent=1))
