"""`pip install .` installs the product alone: the wheel holds the driver (all of it) and no
development tool (dev/moh_dev: the generator, the bench, the demo, the server set-up)."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEV_MODULES = ("synthetic", "bench", "demo", "server")


def test_the_wheel_ships_the_driver_and_no_development_tool(tmp_path):
    # built from a copy: setuptools leaves build/ and *.egg-info beside the sources
    source = tmp_path / "source"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "__pycache__", ".pytest_cache", "target", "logs", "demo-output"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path),
                    str(source)], check=True, capture_output=True, cwd=tmp_path)
    wheel, = tmp_path.glob("moh_migrate-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    modules = [n for n in names if n.endswith(".py")]
    assert not [n for n in names if "moh_dev" in n or n.startswith(("dev/", "tests/"))]
    assert not [n for n in modules if Path(n).stem in DEV_MODULES]
    shipped = sorted(n for n in modules)
    expected = sorted(str(p.relative_to(PROJECT)) for p in (PROJECT / "driver").rglob("*.py"))
    assert shipped == expected  # every driver module, so no subpackage is left out
    assert "driver/schemas/v2.sql" in names
