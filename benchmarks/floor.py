"""The least work ml-lint's default check can do, as a timing floor.

    python benchmarks/floor.py REPO

List the tracked files with one `git ls-files -z` and JSON-parse every notebook:
the built-in spec reads them all (ML306 invalid-notebook and ML307/ML308 apply to
every .ipynb; ML301-ML305 to deliver, eda and template notebooks). Prints how
many files and notebooks it saw.
"""

import json
import subprocess
import sys
from pathlib import Path


def main(repo: Path) -> int:
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=repo, check=True, capture_output=True).stdout
    paths = listing.decode("utf-8", "surrogateescape").split("\0")[:-1]
    notebooks = [p for p in paths if p.endswith(".ipynb")]
    for rel in notebooks:
        try:
            json.loads((repo / rel).read_bytes())
        except ValueError:
            pass  # an unreadable notebook is a finding, not a reason to stop
    print(f"{len(paths)} files, {len(notebooks)} notebooks parsed")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
