"""The working memory of one argon2id verification, made ready before it is needed.

An argon2id check with the app's parameters (64 MiB, :mod:`center_app.services.auth`) spends a
fifth of its CPU time having the operating system hand over and clear 16,384 fresh pages (a
verification through ``argon2-cffi`` maps new memory each time). The desktop app prepares that
memory while the sign-in dialog waits for the clerk (:class:`PreparedMemory`, touched once, on
Linux asked for as huge pages), and the first sign-in computes its hash in it with libargon2's
own function (``argon2_ctx``, given an allocator that returns this memory): the same parameters,
read from the stored hash, and the same result as :meth:`argon2.PasswordHasher.verify`.
libargon2 wipes the memory before it gives it back. Only the memory is prepared: the password is
checked after Enter, as before.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import mmap
import threading

from argon2 import Type, extract_parameters
from argon2.exceptions import InvalidHashError
from argon2.low_level import ffi, lib


class PreparedMemory:
    """``kib`` KiB of memory, touched once, for one argon2id computation at a time.

    :meth:`verify` checks a password against an encoded argon2id hash in it; :meth:`release`
    gives the memory back (the object then verifies nothing). Raises :class:`MemoryError`,
    :class:`OSError` or :class:`RuntimeError` when the memory or libargon2's allocator hook (a
    cffi callback) cannot be had: the caller then verifies the usual way."""

    def __init__(self, kib: int):
        self.size = kib * 1024
        self._lock = threading.Lock()
        self._map: mmap.mmap | None = mmap.mmap(-1, self.size)
        if hasattr(mmap, "MADV_HUGEPAGE"):
            try:
                self._map.madvise(mmap.MADV_HUGEPAGE)  # fewer pages to map and fewer TLB misses in argon2's random reads
            except OSError:
                pass
        for offset in range(0, self.size, mmap.PAGESIZE):
            self._map[offset] = 0  # the pages are mapped now, not during the verification
        self._memory = ffi.from_buffer("uint8_t[]", self._map, require_writable=True)

        @ffi.callback("int(uint8_t **, size_t)")
        def allocate(memory, size):
            if self._memory is None or size > self.size:
                return lib.ARGON2_MEMORY_ALLOCATION_ERROR
            memory[0] = self._memory
            return lib.ARGON2_OK

        @ffi.callback("void(uint8_t *, size_t)")
        def free(_memory, _size):
            return None  # kept for the next use; libargon2 has wiped it

        self._allocate, self._free = allocate, free

    def verify(self, encoded: str, password: str | bytes) -> bool | None:
        """True when ``password`` matches the argon2id hash ``encoded`` (``$argon2id$v=19$m=…``),
        False when it does not; None when this memory cannot do the check (another type or more
        memory than prepared, a hash it cannot read, released, in use): verify it the usual way."""
        secret = password.encode("utf-8") if isinstance(password, str) else password
        try:
            params = extract_parameters(encoded)
            _, _, version, _, salt64, hash64 = encoded.split("$")
            salt, expected = _b64(salt64), _b64(hash64)
        except (InvalidHashError, ValueError, binascii.Error):
            return None
        if params.type is not Type.ID or params.memory_cost * 1024 > self.size or version != f"v={params.version}" \
                or len(salt) != params.salt_len or len(expected) != params.hash_len:
            return None
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self._memory is None:
                return None
            out = ffi.new("uint8_t[]", len(expected))
            pwd = ffi.new("uint8_t[]", secret)
            salt_buffer = ffi.new("uint8_t[]", salt)
            context = ffi.new("argon2_context *", {
                "out": out, "outlen": len(expected), "pwd": pwd, "pwdlen": len(secret), "salt": salt_buffer, "saltlen": len(salt),
                "secret": ffi.NULL, "secretlen": 0, "ad": ffi.NULL, "adlen": 0, "t_cost": params.time_cost,
                "m_cost": params.memory_cost, "lanes": params.parallelism, "threads": params.parallelism, "version": params.version,
                "allocate_cbk": self._allocate, "free_cbk": self._free, "flags": lib.ARGON2_DEFAULT_FLAGS,
            })
            if lib.argon2_ctx(context, lib.Argon2_id) != lib.ARGON2_OK:
                return None
            return hmac.compare_digest(bytes(ffi.buffer(out, len(expected))), expected)
        finally:
            self._lock.release()

    def release(self) -> None:
        """Give the memory back to the operating system (waits for a verification under way)."""
        with self._lock:
            memory, self._memory = self._memory, None
            if memory is not None:
                ffi.release(memory)
            if self._map is not None:
                self._map.close()
                self._map = None


def _b64(text: str) -> bytes:
    """argon2's unpadded standard base64."""
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
