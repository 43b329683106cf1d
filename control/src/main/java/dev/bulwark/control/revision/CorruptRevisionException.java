package dev.bulwark.control.revision;

/** A stored revision (or the pending-confirm record) was asked for, but its file is damaged. */
public final class CorruptRevisionException extends RuntimeException {
    public CorruptRevisionException(String message) {
        super(message);
    }
}
