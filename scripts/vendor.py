"""Vendor front-end libraries from the npm registry into suragh/static/vendor/.

The product never fetches anything at run time (agency networks are often offline), so the files
are checked in. Run this only when adding or upgrading a library:

    python scripts/vendor.py            # every library in LIBRARIES
    python scripts/vendor.py htmx.org   # just one

Each library is fetched with `npm pack <name>@<version>` (so npm's own integrity check applies),
the listed files are copied out of the tarball, and VERSIONS.json records name, version, files,
their SHA-256 and the licence.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "suragh" / "static" / "vendor"
VERSIONS_FILE = VENDOR / "VERSIONS.json"


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    # Paths inside the package (relative to its "package/" root) to copy; the licence file is added.
    files: tuple[str, ...]


LIBRARIES = [
    Library("htmx.org", "2.0.11", ("dist/htmx.min.js",)),
    # Urdu names must read right on machines without an Urdu font (SIL Open Font Licence).
    Library(
        "@fontsource/noto-naskh-arabic",
        "5.3.0",
        ("files/noto-naskh-arabic-arabic-400-normal.woff2", "files/noto-naskh-arabic-arabic-700-normal.woff2"),
    ),
    # Charts for the dashboards, the trends report and the Organised Crime Index.
    Library("echarts", "5.6.0", ("dist/echarts.min.js",)),
    # The province and district map, drawn from the boundaries shipped in suragh/core/data.
    Library(
        "leaflet",
        "1.9.4",
        (
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
        ),
    ),
]

LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "license", "license.md")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm_pack(library: Library, workdir: Path) -> Path:
    result = subprocess.run(
        ["npm", "pack", f"{library.name}@{library.version}", "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = workdir / result.stdout.strip().splitlines()[-1]
    if not tarball.exists():
        raise SystemExit(f"npm pack did not produce {tarball}")
    return tarball


def extract(tarball: Path, workdir: Path) -> Path:
    target = workdir / "unpacked"
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def vendor(library: Library) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        package = extract(npm_pack(library, workdir), workdir)
        manifest = json.loads((package / "package.json").read_text(encoding="utf-8"))
        if manifest["version"] != library.version:
            raise SystemExit(f"{library.name}: asked for {library.version}, got {manifest['version']}")
        licence_file = next((name for name in LICENCE_NAMES if (package / name).is_file()), None)
        wanted = list(library.files) + ([licence_file] if licence_file else [])

        destination = VENDOR / library.name
        if destination.exists():
            shutil.rmtree(destination)
        files = []
        for relative in wanted:
            source = package / relative
            if not source.is_file():
                raise SystemExit(f"{library.name}@{library.version} has no {relative}")
            # dist/ is dropped so templates say vendor/htmx.org/htmx.min.js.
            target = destination / relative.removeprefix("dist/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            files.append({"path": str(target.relative_to(VENDOR)), "sha256": sha256(target)})
    print(f"vendored {library.name}@{library.version}: {', '.join(f['path'] for f in files)}")
    return {
        "name": library.name,
        "version": library.version,
        "license": manifest.get("license", "UNKNOWN"),
        "source": f"npm:{library.name}@{library.version}",
        "files": files,
    }


def main(argv: list[str]) -> int:
    chosen = [lib for lib in LIBRARIES if not argv or lib.name in argv]
    unknown = set(argv) - {lib.name for lib in LIBRARIES}
    if unknown:
        print(f"not in LIBRARIES: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    VENDOR.mkdir(parents=True, exist_ok=True)
    versions = json.loads(VERSIONS_FILE.read_text(encoding="utf-8")) if VERSIONS_FILE.exists() else {}
    for library in chosen:
        versions[library.name] = vendor(library)
    # Libraries removed from LIBRARIES are forgotten, and their files removed.
    for name in set(versions) - {lib.name for lib in LIBRARIES}:
        shutil.rmtree(VENDOR / name, ignore_errors=True)
        del versions[name]
    VERSIONS_FILE.write_text(json.dumps(dict(sorted(versions.items())), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
