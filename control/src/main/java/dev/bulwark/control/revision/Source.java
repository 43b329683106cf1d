package dev.bulwark.control.revision;

/** Where a revision came from. Written in revision files by its {@link #label()}. */
public enum Source {
    /** The REST API. */
    API("api"),
    /** The {@code bulwark} command line. */
    CLI("cli"),
    /** The GitOps follower. */
    GITOPS("gitops"),
    /** An automatic rollback: a commit-confirm window ended without a confirmation. */
    CONFIRM_TIMEOUT("confirm-timeout");

    private final String label;

    Source(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Source ofLabel(String label) {
        for (Source s : values()) if (s.label.equals(label)) return s;
        throw new IllegalArgumentException("unknown revision source '" + label + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
