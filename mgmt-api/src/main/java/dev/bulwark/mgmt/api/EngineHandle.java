package dev.bulwark.mgmt.api;

import dev.bulwark.control.engine.Engine;

/**
 * The engine the API serves from: none until the daemon's startup reconcile is done ({@link ApiServer#ready}); until
 * then the API routes answer 503 "starting".
 */
final class EngineHandle {
    private volatile Engine engine;

    void set(Engine e) {
        engine = e;
    }

    /** The engine; 503 "starting" while there is none yet. */
    Engine get() {
        Engine e = engine;
        if (e == null) throw Problems.unavailable("starting");
        return e;
    }

    /** The engine, or null while starting. */
    Engine orNull() {
        return engine;
    }

    /** The running revision's id; null while starting or with nothing committed. */
    Long currentRevision() {
        Engine e = engine;
        return e == null ? null : e.running().map(r -> r.revision().id()).orElse(null);
    }
}
