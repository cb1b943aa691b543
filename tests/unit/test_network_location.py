"""The rule that refuses an SQLite file on a network location, tested with fake mount tables and
a fake GetDriveTypeW (db/location.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from center_app.db.database import open_database, sqlite_url
from center_app.db.location import is_network_mount, is_network_path, windows_is_remote
from center_app.domain.errors import DatabaseUnavailable

MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
/dev/nvme0n1p1 /boot/efi vfat rw 0 0
tmpfs /tmp tmpfs rw 0 0
/dev/sdb1 /media/usb fuseblk rw 0 0
gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw,nosuid,nodev 0 0
smbnetfs /home/desk/smb fuse.smbnetfs rw 0 0
s3fs /mnt/bucket fuse.s3fs rw 0 0
desk@files.example.jp:/srv /mnt/ssh fuse.sshfs rw 0 0
remote: /mnt/rclone fuse.rclone rw 0 0
center /media/sf_center vboxsf rw 0 0
share /mnt/virtio virtiofs rw 0 0
hostshare /mnt/9p 9p rw,trans=virtio 0 0
.host:/ /mnt/hgfs fuse.vmhgfs-fuse rw 0 0
nas:/export /mnt/nfs nfs4 rw 0 0
//nas/share /mnt/share\\040drive cifs rw 0 0
portal /run/user/1000/doc fuse.portal rw 0 0
/home/desk/.secret /home/desk/vault fuse.gocryptfs rw 0 0
files.example.jp:/data /mnt/mystery fuse.somethingnew rw 0 0
/dev/sdc1 /mnt/local-new fuse.somethingelse rw 0 0
"""

NETWORK = [
    "/run/user/1000/gvfs/smb-share:server=nas,share=center/center.sqlite3",  # GNOME's SMB
    "/home/desk/smb/NAS/center/center.sqlite3",  # smbnetfs
    "/mnt/bucket/center.sqlite3",  # s3fs
    "/mnt/ssh/center.sqlite3",
    "/mnt/rclone/center.sqlite3",
    "/media/sf_center/center.sqlite3",  # VirtualBox shared folder
    "/mnt/virtio/center.sqlite3",
    "/mnt/9p/center.sqlite3",
    "/mnt/hgfs/center.sqlite3",  # VMware shared folder
    "/mnt/nfs/center.sqlite3",
    "/mnt/share drive/center.sqlite3",
    "/mnt/mystery/center.sqlite3",  # a FUSE back-end not in the list, mounted from a server
]
LOCAL = [
    "/home/desk/.local/share/CenterDesk/center_desk.sqlite3",
    "/tmp/center.sqlite3",
    "/media/usb/center.sqlite3",  # an NTFS stick (fuseblk)
    "/run/user/1000/doc/1234/center.sqlite3",  # the Flatpak document portal
    "/home/desk/vault/center.sqlite3",  # an encrypted folder on this disk
    "/mnt/local-new/center.sqlite3",  # an unknown FUSE back-end on a local device
]


@pytest.fixture
def mounts(tmp_path) -> str:
    path = tmp_path / "mounts"
    path.write_text(MOUNTS, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("path", NETWORK)
def test_network_mounts_are_refused(mounts, path):
    """Old code opened files on gvfsd-fuse, smbnetfs, vboxsf, virtiofs and s3fs mounts."""
    assert is_network_path(Path(path), platform="linux", mounts_file=mounts)


@pytest.mark.parametrize("path", LOCAL)
def test_local_mounts_are_accepted(mounts, path):
    assert not is_network_path(Path(path), platform="linux", mounts_file=mounts)


def test_the_rule_by_type_and_source():
    assert all(is_network_mount(t) for t in ("nfs", "cifs", "smb3", "9p", "virtiofs", "vboxsf", "prl_fs", "ceph", "lustre"))
    assert all(is_network_mount(f"fuse.{b}") for b in ("sshfs", "gvfsd-fuse", "smbnetfs", "s3fs", "rclone", "davfs2", "gcsfuse", "juicefs"))
    assert not any(is_network_mount(t) for t in ("ext4", "xfs", "btrfs", "vfat", "tmpfs", "fuseblk", "fuse.portal", "fuse.lxcfs"))
    assert is_network_mount("fuse", "sshfs#desk@files:/srv")  # the old way of writing a FUSE mount
    assert is_network_mount("fuse.unknown", "//nas/share") and is_network_mount("fuse.unknown", "https://dav.example.jp/")
    assert not is_network_mount("fuse.unknown", "/dev/sdc1")


DRIVES = {"C:\\": 3, "D:\\": 2, "E:\\": 5, "R:\\": 6, "Z:\\": 4, "Y:\\": 0, "X:\\": 1}


@pytest.mark.parametrize("path, remote", [
    ("C:\\Users\\desk\\AppData\\Local\\CenterDesk\\center_desk.sqlite3", False),
    ("D:\\center.sqlite3", False),  # a USB stick
    ("R:\\center.sqlite3", False),  # a RAM disk
    ("Z:\\center\\center.sqlite3", True),  # a mapped network drive
    ("Y:\\center.sqlite3", True),  # Windows does not know the drive
    ("X:\\center.sqlite3", True),  # no root directory
    ("\\\\nas\\center\\center.sqlite3", True),
    ("\\\\?\\UNC\\nas\\center\\center.sqlite3", True),
    ("\\\\wsl$\\Ubuntu\\home\\desk\\center.sqlite3", True),
    ("\\\\?\\C:\\very\\long\\path\\center.sqlite3", False),
])
def test_windows_drives_and_unc_paths(path, remote):
    assert windows_is_remote(path, get_drive_type=DRIVES.__getitem__) is remote


def test_opening_a_file_on_a_network_mount_names_it_and_points_to_postgresql(tmp_path, monkeypatch):
    import center_app.db.database as database

    folder = tmp_path / "share"
    folder.mkdir()
    (tmp_path / "mounts").write_text(f"/dev/sda1 / ext4 rw 0 0\ncenter {folder} vboxsf rw 0 0\n", encoding="utf-8")
    monkeypatch.setattr(database, "is_network_path", lambda path: is_network_path(path, platform="linux", mounts_file=str(tmp_path / "mounts")))
    with pytest.raises(DatabaseUnavailable) as refused:
        open_database(sqlite_url(folder / "center.sqlite3"))
    assert "center.sqlite3" in str(refused.value) and "PostgreSQL" in str(refused.value)
    assert not (folder / "center.sqlite3").exists()
