"""The build step of the libbytehouse wheel: the crate's version and its driver library.

pyproject.toml holds the package's metadata; this file adds what it cannot say:

* the version is the crate's, read from ../Cargo.toml, so the two cannot drift apart;
* the build copies libbytehouse.so into ``libbytehouse/lib/``, where ``libbytehouse.driver`` looks
  for a bundled driver: the library named by ``BYTEHOUSE_LIBRARY``, or else a release build made here
  with cargo. Editable installs bundle nothing (they name the driver through the environment);
* the wheel is tagged for the platform but for no Python version or ABI (``py3-none-<platform>``):
  the library is loaded by the driver manager or by ctypes, never imported as an extension module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPOSITORY = Path(__file__).resolve().parent.parent
MANIFEST = REPOSITORY / "Cargo.toml"
LIBRARY_VARIABLE = "BYTEHOUSE_LIBRARY"


def crate_version() -> str:
    if not MANIFEST.is_file():
        sys.exit(f"{MANIFEST} is missing: the wheel is built from a clone of the repository, not from an sdist")
    with MANIFEST.open("rb") as manifest:
        return tomllib.load(manifest)["package"]["version"]


def driver_library() -> Path:
    """The library to bundle: the one named in the environment, else a release build of the crate."""
    given = os.environ.get(LIBRARY_VARIABLE)
    if given:
        library = Path(given)
        if not library.is_file():
            sys.exit(f"{LIBRARY_VARIABLE} names {given!r}, which is not a file")
        return library
    subprocess.run(["cargo", "build", "--release", "--lib", "--manifest-path", str(MANIFEST)], check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPOSITORY / "target"))
    return target / "release" / "libbytehouse.so"


class BuildWithDriver(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        bundled = Path(self.build_lib) / "libbytehouse" / "lib" / "libbytehouse.so"
        bundled.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(driver_library(), bundled)


class DistributionWithLibrary(Distribution):
    """Holds a native library, so its files go to platlib and the wheel is not pure."""

    def has_ext_modules(self) -> bool:
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self) -> tuple:
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(
    version=crate_version(),
    distclass=DistributionWithLibrary,
    cmdclass={"build_py": BuildWithDriver, "bdist_wheel": PlatformWheel},
)
