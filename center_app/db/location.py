"""Refusing an SQLite file on a network location (docs/architecture.md §5, the PostgreSQL issue).

SQLite's locking is unreliable over NFS and SMB/CIFS: two PCs could both win a booking or
corrupt the file. Several PCs must share a PostgreSQL server instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: File system types (as in /proc/mounts) that are network or cluster file systems.
NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs",
    "fuse.sshfs", "sshfs", "fuse.glusterfs", "fuse.cephfs", "davfs", "fuse.davfs2", "fuse.rclone", "lustre", "gpfs",
})


def _unescape_mount(text: str) -> str:
    return text.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def linux_mount_type(path: Path, mounts_file: str = "/proc/mounts") -> str | None:
    """The file system type of the mount holding ``path`` (longest mount point prefix), or None."""
    try:
        lines = Path(mounts_file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, best_type = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point, fs_type = _unescape_mount(parts[1]), parts[2]
        prefix = mount_point.rstrip("/") + "/"
        if (target == mount_point or target.startswith(prefix) or mount_point == "/") and len(mount_point) >= len(best):
            best, best_type = mount_point, fs_type
    return best_type


def _windows_is_remote(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    text = str(path.resolve())
    if text.startswith("\\\\"):
        return True  # UNC path \\server\share
    drive = os.path.splitdrive(text)[0]
    if not drive:
        return False
    DRIVE_REMOTE = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE


def is_network_path(path: Path, *, platform: str | None = None, mounts_file: str = "/proc/mounts") -> bool:
    """True when ``path`` (or its folder, for a file not yet created) is on a network location:
    a UNC path or mapped network drive on Windows, an NFS/CIFS/SMB/… mount on Linux."""
    platform = platform or sys.platform
    probe = path if path.exists() else path.parent
    if str(path).startswith(("\\\\", "//")):
        return True
    if platform.startswith("win"):
        return _windows_is_remote(probe)
    if platform.startswith("linux"):
        return (linux_mount_type(probe, mounts_file) or "") in NETWORK_FS_TYPES
    return False


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{path}"
