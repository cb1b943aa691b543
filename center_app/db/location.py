"""Refusing an SQLite file on a network location (docs/architecture.md §5, the PostgreSQL issue).

SQLite's locking is unreliable over NFS and SMB/CIFS — and over every file system that hands
the file to another machine or to a hypervisor: two PCs could both win a booking or corrupt the
file. Several PCs must share a PostgreSQL server instead.

The rule, kept in one place (:func:`is_network_mount`) and tested with fake mount tables:

- **Linux**: the mount holding the file (longest mount point of ``/proc/mounts``) is remote
  when its type is a network or cluster file system (:data:`NETWORK_FS_TYPES`: NFS, SMB/CIFS,
  9p, virtiofs, VirtualBox / VMware / Parallels shared folders, Ceph, GlusterFS, Lustre, …), or
  a FUSE file system (``fuse.*``) whose back-end is a network one (:data:`NETWORK_FUSE`: sshfs,
  GNOME's gvfsd-fuse, smbnetfs, s3fs, rclone, davfs2, …) — or, for a FUSE back-end not in the
  list, when its source names a server (``host:/path``, ``user@host:``, ``//server/share``,
  ``scheme://…``). FUSE back-ends known to be local (:data:`LOCAL_FUSE`) and ``fuseblk`` (a
  disk) are local.
- **Windows**: a UNC path (``\\\\server\\share``, ``\\\\?\\UNC\\…``, ``\\\\wsl$\\…``) or a drive that
  ``GetDriveTypeW`` does not report as local (remote, unknown, no root directory: mapped network
  drives and anything Windows cannot vouch for).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

#: File system types (as in /proc/mounts) that are network, cluster or host-shared file systems.
NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs3", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "ncp", "afs", "openafs", "coda",
    "9p", "v9fs", "virtiofs", "vboxsf", "vmhgfs", "prl_fs", "ceph", "glusterfs", "lustre", "gpfs", "beegfs",
    "orangefs", "pvfs2", "ocfs2", "gfs2", "davfs", "sshfs", "afpfs",
})
#: FUSE back-ends (the part after ``fuse.``) that reach another machine.
NETWORK_FUSE = frozenset({
    "sshfs", "gvfsd-fuse", "gvfs-fuse-daemon", "smbnetfs", "fusesmb", "s3fs", "rclone", "davfs2", "glusterfs", "cephfs",
    "ceph-fuse", "goofys", "gcsfuse", "blobfuse", "blobfuse2", "juicefs", "mfs", "moosefs", "lizardfs", "seaweedfs",
    "curlftpfs", "httpfs2", "onedriver", "google-drive-ocamlfuse", "vmhgfs-fuse", "afpfs-ng", "s3backer", "webdavfs",
    "nfs-ganesha", "dropbox", "keybase-redirector", "kbfsfuse",
})
#: FUSE back-ends known to keep the file on this PC's own disks.
LOCAL_FUSE = frozenset({
    "portal", "doc", "lxcfs", "snapfuse", "squashfuse", "fuse-overlayfs", "bindfs", "mergerfs", "encfs", "gocryptfs",
    "cryfs", "ntfs-3g", "exfat", "jmtpfs", "appimagelauncherfs", "vmware-vmblock", "avfsd", "archivemount",
})
#: A mount source that names a server: host:/path, user@host:path, //server/share, scheme://…
_REMOTE_SOURCE = re.compile(r"^(?:[\w.-]+@)?[\w.-]+:(?!/?$)|^//|^\\\\|^[a-z][a-z0-9+.-]*://", re.IGNORECASE)

#: ``GetDriveTypeW`` results of drives on this PC (removable, fixed, CD-ROM, RAM disk).
_LOCAL_DRIVE_TYPES = frozenset({2, 3, 5, 6})


def is_network_mount(fs_type: str, source: str = "") -> bool:
    """True when a mount of ``fs_type`` from ``source`` (the columns of /proc/mounts) keeps its
    files on another machine or a host (see the module docstring)."""
    fs_type = (fs_type or "").strip().lower()
    if fs_type in NETWORK_FS_TYPES:
        return True
    if fs_type == "fuse" or fs_type.startswith("fuse."):
        backend = fs_type.removeprefix("fuse").removeprefix(".")
        if backend in NETWORK_FUSE:
            return True
        if backend in LOCAL_FUSE:
            return False
        return bool(_REMOTE_SOURCE.match(source or "")) or (source or "").split("#")[0] in NETWORK_FUSE
    return False


def _unescape_mount(text: str) -> str:
    return text.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def linux_mount(path: Path, mounts_file: str = "/proc/mounts") -> tuple[str, str] | None:
    """(type, source) of the mount holding ``path`` (longest mount point prefix), or None."""
    try:
        lines = Path(mounts_file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, found = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        source, mount_point, fs_type = _unescape_mount(parts[0]), _unescape_mount(parts[1]), parts[2]
        prefix = mount_point.rstrip("/") + "/"
        if (target == mount_point or target.startswith(prefix) or mount_point == "/") and len(mount_point) >= len(best):
            best, found = mount_point, (fs_type, source)
    return found


def linux_mount_type(path: Path, mounts_file: str = "/proc/mounts") -> str | None:
    """The file system type of the mount holding ``path``, or None."""
    found = linux_mount(path, mounts_file)
    return found[0] if found else None


def _get_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(root)


def windows_is_remote(path: str, get_drive_type: Callable[[str], int] | None = None) -> bool:
    """True for a UNC path or a drive Windows does not report as local (``get_drive_type`` is
    ``GetDriveTypeW``; tests pass a fake one)."""
    text = str(path).replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\"):
        return True
    if text.startswith("\\\\?\\") or text.startswith("\\\\.\\"):
        text = text[4:]  # \\?\C:\… is a local path written for long names
    elif text.startswith("\\\\"):
        return True  # \\server\share, \\wsl$\…
    drive = os.path.splitdrive(text)[0] if sys.platform.startswith("win") else text[:2] if text[1:2] == ":" else ""
    if not drive:
        return False
    return (get_drive_type or _get_drive_type)(drive + "\\") not in _LOCAL_DRIVE_TYPES


def is_network_path(path: Path, *, platform: str | None = None, mounts_file: str = "/proc/mounts",
                    get_drive_type: Callable[[str], int] | None = None) -> bool:
    """True when ``path`` (or its folder, for a file not yet created) is on a network location:
    a UNC path or a drive that is not local on Windows, a network mount on Linux (see the module
    docstring)."""
    platform = platform or sys.platform
    if str(path).startswith(("\\\\", "//")):
        return True
    if platform.startswith("win"):
        probe = path if path.exists() else path.parent
        resolved = str(probe.resolve()) if sys.platform.startswith("win") else str(probe)
        return windows_is_remote(resolved, get_drive_type)
    if platform.startswith("linux"):
        probe = path if path.exists() else path.parent
        found = linux_mount(probe, mounts_file)
        return found is not None and is_network_mount(*found)
    return False


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{path}"
