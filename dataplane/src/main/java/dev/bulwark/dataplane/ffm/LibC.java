package dev.bulwark.dataplane.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Raw libc bindings: the few calls netlink work needs beyond libmnl (namespaces and file descriptors). */
public final class LibC {
    private LibC() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;

    private static final MethodHandle OPEN = Native.functionWithErrno(Native.libc(), "open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = Native.functionWithErrno(Native.libc(), "close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETNS = Native.functionWithErrno(Native.libc(), "setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Native.functionWithErrno(Native.libc(), "setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int EAGAIN = 11;
    public static final int EINTR = 4;
    public static final int ENOBUFS = 105;

    private static final MethodHandle POLL = Native.functionWithErrno(Native.libc(), "poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, java.lang.foreign.ValueLayout.JAVA_LONG, JAVA_INT));
    public static final short POLLIN = 0x1;
    /** {@code struct pollfd { int fd; short events; short revents; }} */
    private static final long POLLFD_SIZE = 8;

    private static final MethodHandle RECV = Native.functionWithErrno(Native.libc(), "recv",
            FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_LONG, JAVA_INT, ADDRESS, java.lang.foreign.ValueLayout.JAVA_LONG, JAVA_INT));
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_SHARED = 1 << 20;
    public static final int MNT_DETACH = 2;

    private static final MethodHandle UNSHARE = Native.functionWithErrno(Native.libc(), "unshare",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MOUNT = Native.functionWithErrno(Native.libc(), "mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, java.lang.foreign.ValueLayout.JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = Native.functionWithErrno(Native.libc(), "umount2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle STRERROR = Native.function(Native.libc(), "strerror",
            FunctionDescriptor.of(ADDRESS.withTargetLayout(java.lang.foreign.MemoryLayout.sequenceLayout(256, java.lang.foreign.ValueLayout.JAVA_BYTE)), JAVA_INT));

    /** Result of a libc call: the return value and the errno captured with it. */
    public record Result(int value, int errno) {
        public boolean failed() {
            return value < 0;
        }
    }

    public static Result open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            int fd = (int) OPEN.invokeExact(err, a.allocateFrom(path), flags);
            return new Result(fd, Native.errno(err));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static Result close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            int r = (int) CLOSE.invokeExact(err, fd);
            return new Result(r, Native.errno(err));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Moves the calling OS thread into the namespace open at {@code fd} ({@code setns(2)}). */
    public static Result setns(int fd, int nstype) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            int r = (int) SETNS.invokeExact(err, fd, nstype);
            return new Result(r, Native.errno(err));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code setsockopt(2)} with an int option value ({@code int setsockopt(int fd, int level, int name, const void *val, socklen_t len)}). */
    public static Result setsockoptInt(int fd, int level, int name, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            int r = (int) SETSOCKOPT.invokeExact(err, fd, level, name, a.allocateFrom(JAVA_INT, value), 4);
            return new Result(r, Native.errno(err));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code recv(2)} into {@code buf}; errno is written to {@code errnoBuf}. */
    public static long recv(MemorySegment errnoBuf, int fd, MemorySegment buf, int flags) {
        try {
            return (long) RECV.invokeExact(errnoBuf, fd, buf, buf.byteSize(), flags);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code poll(2)}: waits up to {@code timeoutMillis} until one of {@code fds} is readable. Returns which are
     * (in the order given); none on a timeout or an interrupted wait (EINTR).
     */
    public static boolean[] pollIn(int[] fds, int timeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            MemorySegment pfds = a.allocate(POLLFD_SIZE * fds.length, 8);
            for (int i = 0; i < fds.length; i++) {
                pfds.set(JAVA_INT, i * POLLFD_SIZE, fds[i]);
                pfds.set(java.lang.foreign.ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 4, POLLIN);
            }
            int r = (int) POLL.invokeExact(err, pfds, (long) fds.length, timeoutMillis);
            boolean[] ready = new boolean[fds.length];
            if (r < 0) {
                int e = Native.errno(err);
                if (e == EINTR) return ready;
                throw new IllegalStateException("poll failed: " + strerror(e) + " (errno " + e + ")");
            }
            for (int i = 0; i < fds.length && r > 0; i++) {
                ready[i] = pfds.get(java.lang.foreign.ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 6) != 0;
            }
            return ready;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code unshare(2)}: moves the calling OS thread into new namespaces of the given kinds. */
    public static Result unshare(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            int r = (int) UNSHARE.invokeExact(err, flags);
            return new Result(r, Native.errno(err));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code mount(2)} with no file system type and no data (bind mounts and propagation changes). */
    public static Result mount(String source, String target, long flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            MemorySegment src = source == null ? MemorySegment.NULL : a.allocateFrom(source);
            int r = (int) MOUNT.invokeExact(err, src, a.allocateFrom(target), MemorySegment.NULL, flags, MemorySegment.NULL);
            return new Result(r, Native.errno(err));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code umount2(2)}. */
    public static Result umount2(String target, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            int r = (int) UMOUNT2.invokeExact(err, a.allocateFrom(target), flags);
            return new Result(r, Native.errno(err));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The C library's text for an errno ("No such file or directory"). */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
