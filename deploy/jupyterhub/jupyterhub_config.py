# JupyterHub for a dl-workbook class: Debian's `jupyterhub` 3.0, one system account per student,
# each student's server started by the local process spawner under that account.
#
#   jupyterhub -f /opt/dl-workbook/deploy/jupyterhub/jupyterhub_config.py
#
# What it sets up (deploy/jupyterhub/README.md, "Serving a class", has the commands around it):
# - JupyterLab as each student's single-user server: the course's Lab app (built once by the admin,
#   `workbook lab --build-only --out /usr/local/share/dl-workbook/lab`) served by jupyter_server's
#   ServerApp with jupyterlab_server's LabServerApp, opening on the course folder, with the course's
#   Lab extension (Plotly renderer, widget manager) from /usr/local/share/jupyter/labextensions;
#   WORKBOOK_HUB_UI=notebook in the Hub's environment serves the classic Notebook 6 instead;
# - the course's lecture notebooks and the student copies of the assignments (never the
#   .source.ipynb or .grading.json files, which hold solutions and hidden tests) copied into
#   ~/dl-workbook at each spawn, only where a file is missing: a student's edits are never overwritten;
# - private homes (mode 0700), so one student cannot read another's work;
# - per-process limits with prlimit (address space, processes, open files, core dumps) and idle
#   kernels and servers shut down;
# - a start-up check that the dl-workbook kernelspec is installed where every user's server finds it
#   (`workbook kernel install --prefix /usr/local`), that the Lab front end and the course's Lab
#   extension are there, and that the solutions in the course's
#   assignments/ folder are not readable by students.
#
# Local changes (ports, HTTPS, authenticator, limits) go in a second file that loads this one:
#   c = get_config()
#   load_subconfig("/opt/dl-workbook/deploy/jupyterhub/jupyterhub_config.py")
#   c.JupyterHub.bind_url = "https://:443"
# (the test, deploy/jupyterhub/hub.test.ts, layers its dummy authenticator and ports the same way).

import glob
import os
import shutil
import stat
import sys

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

# The course: the dl-workbook checkout or package this file sits in (deploy/jupyterhub/ inside it),
# or $WORKBOOK_COURSE_DIR.
COURSE_DIR = os.path.realpath(os.environ.get("WORKBOOK_COURSE_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# The folder in each home that receives the course's notebooks.
HOME_FOLDER = "dl-workbook"
KERNEL_NAME = "dl-workbook"

# Per-process limits, applied with prlimit to the single-user server and inherited by each kernel
# it starts (each process gets its own copy of a limit; they are not a per-user total).
# Address space: a kernel at the student's size uses about 0.4 GB resident; V8 and tfjs reserve
# several GB of virtual space on top, so this is a ceiling against runaway allocations, not a quota.
ADDRESS_SPACE_BYTES = 8 * 1024**3
# Processes and threads of one student's account together (RLIMIT_NPROC counts per user): a
# kernel runs about 20 threads, so this allows about ten kernels and stops fork bombs.
MAX_PROCESSES = 256
MAX_OPEN_FILES = 4096


def _fail(message):
    """Stops JupyterHub at start-up with a message that says what to do."""
    print(f"deploy/jupyterhub/jupyterhub_config.py: {message}", file=sys.stderr)
    raise SystemExit(1)


def course_files():
    """The files copied into each home, as paths relative to COURSE_DIR: notebooks/*.ipynb and
    assignments/<name>/<name>.ipynb (the student copy; its .source.ipynb and .grading.json stay out)."""
    lectures = sorted(glob.glob(os.path.join(COURSE_DIR, "notebooks", "*.ipynb")))
    assignments = [
        path
        for path in sorted(glob.glob(os.path.join(COURSE_DIR, "assignments", "*", "*.ipynb")))
        if os.path.basename(path) == os.path.basename(os.path.dirname(path)) + ".ipynb"
    ]
    return [os.path.relpath(path, COURSE_DIR) for path in lectures + assignments]


def solution_files():
    """The instructor's files with solutions and hidden tests: assignments/*/*.source.ipynb and *.grading.json."""
    return sorted(
        glob.glob(os.path.join(COURSE_DIR, "assignments", "*", "*.source.ipynb"))
        + glob.glob(os.path.join(COURSE_DIR, "assignments", "*", "*.grading.json"))
    )


def readable_by_students(path):
    """True when an account other than the owner can read `path`: the file is group- or
    world-readable and every folder above it can be entered by group or others."""
    if stat.S_IMODE(os.stat(path).st_mode) & 0o044 == 0:
        return False
    folder = os.path.dirname(os.path.realpath(path))
    while True:
        if stat.S_IMODE(os.stat(folder).st_mode) & 0o011 == 0:
            return False
        parent = os.path.dirname(folder)
        if parent == folder:
            return True
        folder = parent


def kernelspec_dirs():
    """The kernels folders every user's server searches: the hub's $JUPYTER_PATH (passed on to
    the servers, see env_keep below), then Debian's system folders (jupyter_core's SYSTEM_JUPYTER_PATH)."""
    dirs = [d for d in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if d]
    return [os.path.join(d, "kernels") for d in dirs + ["/usr/local/share/jupyter", "/usr/share/jupyter"]]


# --- the hub ---------------------------------------------------------------------------------
# Students log in with their system password (PAM, JupyterHub's default); every student needs an
# account with a home (useradd -m). A class list, one user name a line, limits who may log in.
ROSTER = os.environ.get("WORKBOOK_HUB_ROSTER", "/etc/jupyterhub/dl-workbook-students.txt")
if os.path.exists(ROSTER):
    with open(ROSTER, encoding="utf-8") as roster:
        c.Authenticator.allowed_users = {line.strip() for line in roster if line.strip() and not line.startswith("#")}
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.JupyterHub.proxy_class = "jupyterhub.proxy.ConfigurableHTTPProxy"
# Debian's configurable-http-proxy loads its modules from /usr/share/nodejs, which Debian's own
# nodejs searches but a Node.js from elsewhere (NodeSource's Node 20, which the course needs on
# bookworm) does not: without NODE_PATH the proxy exits with "Cannot find module 'commander'".
c.ConfigurableHTTPProxy.command = ["/usr/bin/env", "NODE_PATH=/usr/share/nodejs", "configurable-http-proxy"]
# Stop every student's server (and so their kernels) when the hub stops.
c.JupyterHub.cleanup_servers = True

# --- each student's server ---------------------------------------------------------------------
# JupyterLab, the course's Lab app (lab/ in the course, built once by the admin with
# `workbook lab --build-only --out LAB_APP_DIR`): Debian's jupyter_server ServerApp as the
# single-user app (jupyterhub-singleuser wraps it in the Hub's login) with jupyterlab_server's
# LabServerApp enabled as a server extension and pointed at the built front end, exactly as
# `workbook lab` starts it (lab/server.ts). The Lab extensions (the course's Plotly renderer and
# the widget manager) come from <prefix>/share/jupyter/labextensions, where
# `workbook kernel install --prefix /usr/local` put them beside the kernelspec.
# WORKBOOK_HUB_UI=notebook switches back to the classic Notebook 6 server (Debian's
# jupyterhub depends on it): same course, same limits, no Lab extension.
UI = os.environ.get("WORKBOOK_HUB_UI", "lab")
if UI not in ("lab", "notebook"):
    _fail(f"WORKBOOK_HUB_UI is {UI!r}; set it to 'lab' (JupyterLab, the default) or 'notebook' (the classic Notebook 6).")
# The built Lab front end, readable by every student (never bundled in a student's home).
LAB_APP_DIR = os.path.realpath(os.environ.get("WORKBOOK_LAB_APP") or "/usr/local/share/dl-workbook/lab")
# The server app's class name in the idle-server setting below.
SERVER_APP = "ServerApp" if UI == "lab" else "NotebookApp"
c.Spawner.environment = {
    # Set either way: left unset, jupyterhub-singleuser picks jupyter_server's ServerApp whenever
    # python3-jupyter-server is installed, and that serves no notebook UI by itself.
    "JUPYTERHUB_SINGLEUSER_APP": "jupyter_server.serverapp.ServerApp" if UI == "lab" else "notebook.notebookapp.NotebookApp",
}
# The hub's JUPYTER_PATH, if any, reaches the servers (a kernelspec installed with --prefix elsewhere).
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "JUPYTERHUB_SINGLEUSER_APP", "JUPYTER_PATH"]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = f"/lab/tree/{HOME_FOLDER}" if UI == "lab" else f"/tree/{HOME_FOLDER}"

singleuser = shutil.which("jupyterhub-singleuser") or "/usr/bin/jupyterhub-singleuser"
prlimit = shutil.which("prlimit")
if prlimit is None:
    _fail("prlimit is missing (Debian's util-linux): it applies the students' resource limits. Install util-linux or remove the limits from c.Spawner.cmd.")
# The local process spawner only passes mem_limit and cpu_limit on as MEM_LIMIT and CPU_LIMIT in the
# server's environment (shown by resource-usage extensions); it enforces neither. prlimit enforces
# what the kernel can: a ceiling per process on memory, and per account on processes.
c.Spawner.cmd = [
    prlimit,
    f"--as={ADDRESS_SPACE_BYTES}",
    f"--nproc={MAX_PROCESSES}",
    f"--nofile={MAX_OPEN_FILES}",
    "--core=0",
    "--",
    singleuser,
]
c.Spawner.mem_limit = "4G"
c.Spawner.cpu_limit = 2.0
c.Spawner.args = [
    # New notebooks get the course's TypeScript kernel (Python stays in the kernel menu).
    "--MappingKernelManager.default_kernel_name=dl-workbook",
    # A kernel idle for an hour is shut down (its notebook stays; rerun the cells) ...
    "--MappingKernelManager.cull_idle_timeout=3600",
    "--MappingKernelManager.cull_interval=300",
    # ... and a server with no kernel and no browser activity for two hours stops itself.
    f"--{SERVER_APP}.shutdown_no_activity_timeout=7200",
]
if UI == "lab":
    c.Spawner.args += [
        "--ServerApp.jpserver_extensions=jupyterlab_server=True",
        # The front end, its settings schemas, theme, page template and page config (lab/bundle.ts's layout).
        f"--LabServerApp.app_settings_dir={LAB_APP_DIR}/settings",
        f"--LabServerApp.schemas_dir={LAB_APP_DIR}/schemas",
        f"--LabServerApp.static_dir={LAB_APP_DIR}/static",
        f"--LabServerApp.templates_dir={LAB_APP_DIR}/templates",
        f"--LabServerApp.themes_dir={LAB_APP_DIR}/themes",
    ]
# A first start copies the course; the node kernel itself starts in about a second.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60

# The copy runs as the student (never as root inside a student's home: a symbolic link planted
# there must not redirect a root-owned write), creates only missing files, and makes the home private.
COPY_SCRIPT = r"""
import os, shutil, stat, sys
course, folder, files = sys.argv[1], sys.argv[2], sys.argv[3:]
home = os.path.expanduser("~")
mode = stat.S_IMODE(os.stat(home).st_mode)
if mode & 0o077:
    os.chmod(home, mode & 0o700)
    print(f"made {home} private (mode {mode:o} -> {mode & 0o700:o})")
copied = 0
for rel in files:
    dest = os.path.join(home, folder, rel)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        continue
    with open(os.path.join(course, rel), "rb") as src, os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(src, out)
    copied += 1
print(f"copied {copied} of {len(files)} course notebooks into {os.path.join(home, folder)}")
"""


async def copy_course(spawner):
    """pre_spawn_hook: gives the student the course's notebooks (missing ones only) in a private home."""
    import asyncio
    import pwd

    name = spawner.user.name
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        raise RuntimeError(f"copy_course: JupyterHub user {name!r} has no system account; create it with `useradd -m {name}`")
    if not os.path.isdir(account.pw_dir):
        raise RuntimeError(f"copy_course: {name}'s home {account.pw_dir} does not exist; create it with `mkhomedir_helper {name}` or `useradd -m`")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-I", "-c", COPY_SCRIPT, COURSE_DIR, HOME_FOLDER, *course_files(),
        user=account.pw_uid, group=account.pw_gid, extra_groups=[],
        cwd=account.pw_dir, env={"HOME": account.pw_dir, "PATH": "/usr/bin:/bin"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"copy_course: copying the course into {account.pw_dir} as {name} failed: {err.decode(errors='replace').strip()}")
    for line in out.decode(errors="replace").splitlines():
        spawner.log.info("copy_course %s: %s", name, line)


c.Spawner.pre_spawn_hook = copy_course

# --- start-up checks ---------------------------------------------------------------------------
if not course_files():
    _fail(f"no course notebooks under {COURSE_DIR} (notebooks/*.ipynb, assignments/*/*.ipynb); set WORKBOOK_COURSE_DIR to the dl-workbook folder.")
exposed = [path for path in solution_files() if readable_by_students(path)]
if exposed:
    _fail(
        f"{len(exposed)} files with solutions or hidden tests are readable by students, e.g. {exposed[0]}. "
        f"Run: chmod go-rwx {COURSE_DIR}/assignments/*/*.source.ipynb {COURSE_DIR}/assignments/*/*.grading.json"
    )

if UI == "lab":
    if not os.path.isfile(os.path.join(LAB_APP_DIR, "static", "index.js")):
        _fail(
            f"the course's Lab front end is not built in {LAB_APP_DIR}. "
            f"Run: node {COURSE_DIR}/dist/bin/workbook.js lab --build-only --out {LAB_APP_DIR} "
            "(or set WORKBOOK_LAB_APP to where it is built; WORKBOOK_HUB_UI=notebook serves the classic Notebook instead)"
        )
    if not readable_by_students(os.path.join(LAB_APP_DIR, "static", "index.js")):
        _fail(f"the Lab front end in {LAB_APP_DIR} is not readable by students. Run: chmod -R a+rX {LAB_APP_DIR}")
    extension_dirs = [os.path.join(os.path.dirname(d), "labextensions", "dl-workbook-labextension") for d in kernelspec_dirs()]
    if not any(os.path.isfile(os.path.join(d, "package.json")) for d in extension_dirs):
        _fail(
            f"the course's Lab extension is installed in none of {', '.join(extension_dirs)}. "
            f"Run: node {COURSE_DIR}/dist/bin/workbook.js kernel install --prefix /usr/local"
        )

found = [d for d in kernelspec_dirs() if os.path.isfile(os.path.join(d, KERNEL_NAME, "kernel.json"))]
if not found:
    _fail(
        f"the {KERNEL_NAME} kernelspec is not installed where every user's server looks ({', '.join(kernelspec_dirs())}). "
        f"Run: node {COURSE_DIR}/dist/bin/workbook.js kernel install --prefix /usr/local"
    )
