"""What a SPARQL query worker may do: no network at all, and a bounded amount of memory.

Oxigraph answers ``SERVICE <http://…>`` by calling that endpoint itself, and pyoxigraph
offers no switch to turn federation off. Reading the query text for the keyword cannot
be made safe (``\\#`` in a prefixed name, comments, nested groups: each lexer shortcut is
a bypass), so the worker process is denied the network by the kernel instead: a seccomp
filter makes ``socket()`` fail for every family but ``AF_UNIX`` (the pipe to the server
stays usable). Whatever the spelling, the engine cannot open a connection, and every
address fails the same way, so the error text says nothing about internal hosts.

Memory is bounded with ``RLIMIT_AS`` above what the worker holds once the store is open:
an allocation past it fails, and the worker stops instead of taking the machine's memory.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import resource
import struct

_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1  # every thread of the process, not only the caller
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_AF_UNIX = 1
# machine → (audit architecture, number of socket(), number of seccomp())
_ARCHITECTURES = {
    "x86_64": (0xC000003E, 41, 317),
    "aarch64": (0xC00000B7, 198, 277),
}
_X32_SYSCALL_BIT = 0x40000000

# classic BPF opcodes
_LOAD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JUMP_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JUMP_GREATER_EQUAL = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K
# offsets in struct seccomp_data
_NUMBER, _ARCH, _FIRST_ARGUMENT = 0, 4, 16


class SandboxUnavailable(OSError):
    """The kernel or the machine cannot deny this process the network."""


def _instruction(code: int, jump_true: int, jump_false: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jump_true, jump_false, k)


def _filter(arch: int, socket_number: int) -> bytes:
    """socket(family ≠ AF_UNIX) fails with EACCES; a foreign architecture or x32 call fails likewise."""
    refuse = _SECCOMP_RET_ERRNO | errno.EACCES
    program = [
        _instruction(_LOAD, 0, 0, _ARCH),
        _instruction(_JUMP_EQUAL, 1, 0, arch),
        _instruction(_RETURN, 0, 0, refuse),
        _instruction(_LOAD, 0, 0, _NUMBER),
        _instruction(_JUMP_GREATER_EQUAL, 0, 1, _X32_SYSCALL_BIT),
        _instruction(_RETURN, 0, 0, refuse),
        _instruction(_JUMP_EQUAL, 0, 3, socket_number),
        _instruction(_LOAD, 0, 0, _FIRST_ARGUMENT),
        _instruction(_JUMP_EQUAL, 1, 0, _AF_UNIX),
        _instruction(_RETURN, 0, 0, refuse),
        _instruction(_RETURN, 0, 0, _SECCOMP_RET_ALLOW),
    ]
    return b"".join(program)


def deny_network() -> None:
    """From now on no thread of this process (nor any child) can open a network socket.

    Raises :class:`SandboxUnavailable` where seccomp filters cannot be installed.
    """
    machine = platform.machine().lower()
    if platform.system() != "Linux" or machine not in _ARCHITECTURES:
        raise SandboxUnavailable(f"no seccomp filter for {platform.system()} on {machine}")
    arch, socket_number, seccomp_number = _ARCHITECTURES[machine]
    libc = ctypes.CDLL(None, use_errno=True)
    code = _filter(arch, socket_number)
    instructions = ctypes.create_string_buffer(code, len(code))

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = Program(len(code) // 8, ctypes.addressof(instructions))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.syscall(seccomp_number, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC,
                    ctypes.byref(program)) != 0:
        raise SandboxUnavailable(ctypes.get_errno(), "seccomp(SECCOMP_SET_MODE_FILTER) failed")


def address_space() -> int:
    """Bytes of address space this process has mapped now (``VmSize``)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def limit_memory(budget: int) -> None:
    """Allow this process ``budget`` more bytes of address space than it has now, and no more."""
    limit = address_space() + budget
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
