"""Just enough of Xlib, through ctypes and the libX11 every X client has, to
list the top-level windows of a display with their titles and sizes: the
packaging test's proof that the bundle put its main window on the screen.
(x11-utils' xwininfo would do, but it is not among the test packages.)"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    title: str
    width: int
    height: int
    viewable: bool


class _Attrs(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int), ("height", ctypes.c_int),
        ("border_width", ctypes.c_int), ("depth", ctypes.c_int), ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong), ("class_", ctypes.c_int), ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int), ("backing_store", ctypes.c_int), ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong), ("save_under", ctypes.c_int), ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int), ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p),
    ]


IS_VIEWABLE = 2


def _lib() -> ctypes.CDLL:
    x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XDefaultRootWindow.restype = ctypes.c_ulong
    x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong] + [ctypes.c_void_p] * 4
    x.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_Attrs)]
    x.XGetWindowProperty.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int,
        ctypes.c_ulong, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
    ]
    x.XFree.argtypes = [ctypes.c_void_p]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return x


def top_level_windows(display: str) -> list[Window]:
    x = _lib()
    dpy = x.XOpenDisplay(display.encode())
    if not dpy:
        raise OSError(f"cannot open display {display}")
    try:
        root = x.XDefaultRootWindow(dpy)
        net_wm_name = x.XInternAtom(dpy, b"_NET_WM_NAME", 0)
        root_ret, parent_ret = ctypes.c_ulong(), ctypes.c_ulong()
        children, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
        x.XQueryTree(dpy, root, ctypes.byref(root_ret), ctypes.byref(parent_ret), ctypes.byref(children), ctypes.byref(count))
        found = []
        for i in range(count.value):
            win = children[i]
            attrs = _Attrs()
            x.XGetWindowAttributes(dpy, win, ctypes.byref(attrs))
            kind, fmt = ctypes.c_ulong(), ctypes.c_int()
            n, after = ctypes.c_ulong(), ctypes.c_ulong()
            data = ctypes.POINTER(ctypes.c_ubyte)()
            title = ""
            status = x.XGetWindowProperty(dpy, win, net_wm_name, 0, 1024, 0, 0, ctypes.byref(kind), ctypes.byref(fmt),
                                          ctypes.byref(n), ctypes.byref(after), ctypes.byref(data))
            if status == 0 and data:
                title = ctypes.string_at(data, n.value).decode("utf-8", "replace")
                x.XFree(data)
            found.append(Window(title, attrs.width, attrs.height, attrs.map_state == IS_VIEWABLE))
        if children:
            x.XFree(children)
        return found
    finally:
        x.XCloseDisplay(dpy)
