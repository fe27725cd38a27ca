"""Builds the edgelite Python package with the project's CMake.

`pip install --no-build-isolation ./python` (from the checkout) configures the
top-level CMake project for the running interpreter with the Python package
on and tests/tools off, builds the extension target `edgelite_python`, and
packages edgelite/*.py with the built `_edgelite` module. Needs cmake, a C++17
compiler, flatc, pybind11-dev, python3-dev and numpy: all Debian packages.
Set EDGELITE_CMAKE_BUILD_DIR to reuse a build directory.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def project_version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text()
    m = re.search(r"project\(edgelite\s+VERSION\s+([0-9.]+)", text)
    return m.group(1) if m else "0.0.0"


class CMakeExtension(Extension):
    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build_dir = os.environ.get("EDGELITE_CMAKE_BUILD_DIR") or tempfile.mkdtemp(
            prefix="edgelite-py-build-")
        jobs = os.environ.get("EDGELITE_BUILD_JOBS", "2")
        cfg = [
            "cmake", "-S", str(ROOT), "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython3_EXECUTABLE={sys.executable}", "-DEDGELITE_BUILD_PYTHON=ON",
            "-DEDGELITE_BUILD_TESTS=OFF", "-DEDGELITE_BUILD_TOOLS=OFF",
        ]
        if shutil.which("ninja"):
            cfg += ["-G", "Ninja"]
        subprocess.check_call(cfg)
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "edgelite_python",
                               "-j", jobs])
        built = sorted((Path(build_dir) / "python" / "edgelite").glob("_edgelite*.so"))
        if not built:
            raise RuntimeError(f"the extension was not built in {build_dir}/python/edgelite")
        dest = Path(self.get_ext_fullpath(ext.name))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], dest)


setup(
    version=project_version(),
    ext_modules=[CMakeExtension("edgelite._edgelite")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
