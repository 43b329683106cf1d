package dev.bulwark.dataplane.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The foreign-function plumbing every binding shares: the native linker, library lookup with a clear error when a
 * library is missing, and errno captured per call (errno must be read right after the call, before the JVM runs
 * anything that could overwrite it, so it is captured by the linker into a segment the caller owns).
 */
public final class Native {
    private Native() {
    }

    public static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** A native library is missing: says which and which Debian package has it. */
    public static final class MissingLibraryException extends RuntimeException {
        public MissingLibraryException(String soname, String debianPackage, Throwable cause) {
            super(soname + " could not be loaded; install it with: apt-get install " + debianPackage, cause);
        }
    }

    /** Looks up a shared library by soname (e.g. libmnl.so.0) for the life of the JVM. */
    public static SymbolLookup library(String soname, String debianPackage) {
        try {
            return SymbolLookup.libraryLookup(soname, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new MissingLibraryException(soname, debianPackage, e);
        }
    }

    public static SymbolLookup libc() {
        return LINKER.defaultLookup();
    }

    /** A downcall handle for {@code name}; fails at class load with the symbol's name if the library lacks it. */
    public static MethodHandle function(SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment addr = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("native symbol " + name + " not found"));
        return LINKER.downcallHandle(addr, fd);
    }

    /**
     * A downcall handle that also captures errno: the handle takes an extra first argument, a segment from
     * {@link #errnoBuffer(Arena)}, to be read with {@link #errno(MemorySegment)} after the call.
     */
    public static MethodHandle functionWithErrno(SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment addr = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("native symbol " + name + " not found"));
        return LINKER.downcallHandle(addr, fd, Linker.Option.captureCallState("errno"));
    }

    public static MemorySegment errnoBuffer(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    public static int errno(MemorySegment buffer) {
        return (int) ERRNO.get(buffer, 0L);
    }

    /** Wraps a Throwable from invokeExact (which declares Throwable) for code that cannot recover from it. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
