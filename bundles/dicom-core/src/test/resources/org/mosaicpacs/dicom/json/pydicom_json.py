# Reads file paths from stdin, one a line; prints one JSON line per file:
# {"path": ..., "json": Dataset.to_json_dict()} or {"path": ..., "error": ...}.
# Bulk data is always inline (the threshold is above any file size).
import json
import sys

import pydicom

for line in sys.stdin:
    path = line.rstrip("\n")
    if not path:
        continue
    try:
        ds = pydicom.dcmread(path, force=True)
        out = {"path": path, "json": ds.to_json_dict(bulk_data_threshold=1 << 62)}
    except Exception as e:  # reported, not fatal: the Java side counts it
        out = {"path": path, "error": type(e).__name__ + ": " + str(e)}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
