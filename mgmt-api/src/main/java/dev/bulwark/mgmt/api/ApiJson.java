package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.ConfigDiff;
import dev.bulwark.config.Problem;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.control.conntrack.ConntrackEntry;
import dev.bulwark.control.drift.DriftRecord;
import dev.bulwark.control.engine.CommitResult;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.control.engine.EngineMetrics;
import dev.bulwark.control.engine.LiveState;
import dev.bulwark.control.engine.RuleCounter;
import dev.bulwark.control.revision.PendingConfirm;
import dev.bulwark.control.revision.Revision;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The API's JSON: control's values (revisions, commits, pending confirmations, config changes, problems, live state,
 * drift records, status, conntrack entries) rendered as the API answers them. The OpenAPI document describes the same
 * shapes.
 */
final class ApiJson {
    private ApiJson() {
    }

    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** {@code {id, time, author, source, message, rollbackOf, sha256}}. */
    static ObjectNode revision(Revision r) {
        ObjectNode o = object();
        o.put("id", r.id());
        o.put("time", r.time().toString());
        o.put("author", r.author());
        o.put("source", r.source().label());
        o.put("message", r.message());
        if (r.rollbackOf() == null) o.putNull("rollbackOf");
        else o.put("rollbackOf", r.rollbackOf());
        o.put("sha256", r.sha256());
        return o;
    }

    /** {@code {revision, since, deadline, secondsLeft, rollbackTo, author}}. */
    static ObjectNode pending(PendingConfirm p, Instant now) {
        ObjectNode o = object();
        o.put("revision", p.revision());
        o.put("since", p.since().toString());
        o.put("deadline", p.deadline().toString());
        o.put("secondsLeft", Math.max(0, Duration.between(now, p.deadline()).toMillis()) / 1000.0);
        o.put("rollbackTo", p.rollbackTo());
        o.put("author", p.author());
        return o;
    }

    static ObjectNode commit(CommitResult r, Instant now) {
        ObjectNode o = object();
        o.set("revision", revision(r.revision()));
        o.put("changed", !r.plan().isEmpty());
        o.set("plan", r.plan().json());
        ArrayNode w = o.putArray("warnings");
        r.warnings().forEach(w::add);
        if (r.pending() == null) o.putNull("pending");
        else o.set("pending", pending(r.pending(), now));
        return o;
    }

    static ArrayNode problems(List<Problem> ps) {
        ArrayNode a = JSON.createArrayNode();
        for (Problem p : ps) {
            ObjectNode n = a.addObject();
            n.put("pointer", p.pointer());
            n.put("message", p.message());
            if (p.line() != null) n.put("line", p.line());
            if (p.column() != null) n.put("column", p.column());
        }
        return a;
    }

    static ObjectNode diff(long a, long b, List<ConfigDiff.Change> changes) {
        ObjectNode o = object();
        o.put("from", a);
        o.put("to", b);
        o.set("changes", changes(changes));
        o.put("text", ConfigDiff.render(changes));
        return o;
    }

    static ArrayNode changes(List<ConfigDiff.Change> changes) {
        ArrayNode cs = JSON.createArrayNode();
        for (ConfigDiff.Change c : changes) {
            ObjectNode n = cs.addObject();
            n.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
            n.put("section", c.section());
            n.put("pointer", c.pointer());
            n.put("label", c.label());
            n.set("before", c.before());
            n.set("after", c.after());
            n.put("text", c.toString());
        }
        return cs;
    }

    static ObjectNode live(LiveState s) {
        ObjectNode o = object();
        o.put("read", s.read().toString());
        o.put("namespace", s.where());
        ArrayNode ifs = o.putArray("interfaces");
        for (LiveState.Interface l : s.interfaces()) {
            ObjectNode n = ifs.addObject();
            n.put("name", l.name());
            n.put("kind", l.kind());
            n.put("up", l.up());
            if (l.mtu() != null) n.put("mtu", l.mtu());
            if (l.master() != null) n.put("master", l.master());
            if (l.parent() != null) n.put("parent", l.parent());
            if (l.vlanId() != null) n.put("vlanId", l.vlanId());
            if (l.peer() != null) n.put("peer", l.peer());
            ArrayNode as = n.putArray("addresses");
            l.addresses().forEach(as::add);
        }
        ArrayNode rs = o.putArray("routes");
        for (LiveState.LiveRoute r : s.routes()) {
            ObjectNode n = rs.addObject();
            n.put("to", r.to());
            if (r.via() != null) n.put("via", r.via());
            if (r.device() != null) n.put("device", r.device());
            n.put("metric", r.metric());
            n.put("table", r.table());
            n.put("protocol", r.protocol());
            n.put("ours", r.ours());
        }
        o.set("counters", counters(s.counters()));
        ObjectNode ct = o.putObject("conntrack");
        if (s.conntrackEntries() == null) ct.putNull("entries");
        else ct.put("entries", s.conntrackEntries());
        return o;
    }

    static ArrayNode counters(List<RuleCounter> cs) {
        ArrayNode a = JSON.createArrayNode();
        for (RuleCounter c : cs) {
            ObjectNode n = a.addObject();
            n.put("name", c.name());
            n.put("kind", c.kind());
            if (c.pointer() == null) n.putNull("pointer");
            else n.put("pointer", c.pointer());
            n.put("counter", c.counter());
            n.put("packets", c.packets());
            n.put("bytes", c.bytes());
        }
        return a;
    }

    static ObjectNode drift(DriftRecord d) {
        ObjectNode o = object();
        o.put("id", d.id());
        o.put("detected", d.detected().toString());
        o.put("trigger", d.trigger().name().toLowerCase(Locale.ROOT));
        o.put("revision", d.revision());
        ArrayNode ns = o.putArray("notifications");
        d.notifications().forEach(ns::add);
        ArrayNode ds = o.putArray("differences");
        d.differences().forEach(ds::add);
        o.put("repaired", d.repaired());
        if (d.error() == null) o.putNull("error");
        else o.put("error", d.error());
        return o;
    }

    static ObjectNode status(Engine e, Instant now) {
        Engine.Status s = e.status();
        ObjectNode o = object();
        o.put("converged", s.converged());
        if (s.applied() == null) o.putNull("applied");
        else o.put("applied", s.applied().id());
        if (s.latest() == null) o.putNull("latest");
        else o.put("latest", s.latest().id());
        if (s.lastReconcile() == null) o.putNull("lastReconcile");
        else o.put("lastReconcile", s.lastReconcile().toString());
        if (s.lastError() == null) o.putNull("lastError");
        else o.put("lastError", s.lastError());
        o.put("driftMode", s.driftMode().name().toLowerCase(Locale.ROOT));
        o.put("watching", s.watching());
        if (s.drift() == null) o.putNull("drift");
        else o.set("drift", drift(s.drift()));
        if (e.pending().isEmpty()) o.putNull("pending");
        else o.set("pending", pending(e.pending().get(), now));
        o.set("metrics", metrics(e.metrics()));
        return o;
    }

    static ObjectNode metrics(EngineMetrics.Snapshot m) {
        ObjectNode o = object();
        o.put("commits", m.commits());
        o.put("commitsRefused", m.commitsRefused());
        o.put("commitsFailed", m.commitsFailed());
        o.put("rollbacks", m.rollbacks());
        o.put("confirms", m.confirms());
        o.put("confirmTimeouts", m.confirmTimeouts());
        o.put("reconcileFailures", m.reconcileFailures());
        o.put("driftDetected", m.driftDetected());
        o.put("driftRepaired", m.driftRepaired());
        return o;
    }

    /** One conntrack entry: {@code {family, protocol, original, reply, state, timeout, mark, assured}}. */
    static ObjectNode conntrack(ConntrackEntry e) {
        ObjectNode o = object();
        o.put("family", e.family());
        o.put("protocol", e.protocol());
        o.set("original", tuple(e.original()));
        o.set("reply", e.reply() == null ? null : tuple(e.reply()));
        if (e.state() == null) o.putNull("state");
        else o.put("state", e.state());
        if (e.timeout() == null) o.putNull("timeout");
        else o.put("timeout", e.timeout());
        o.put("mark", e.mark());
        o.put("assured", e.assured());
        return o;
    }

    private static JsonNode tuple(ConntrackEntry.Tuple t) {
        ObjectNode o = object();
        o.put("source", text(t.source()));
        o.put("destination", text(t.destination()));
        if (t.sourcePort() == null) o.putNull("sourcePort");
        else o.put("sourcePort", t.sourcePort());
        if (t.destinationPort() == null) o.putNull("destinationPort");
        else o.put("destinationPort", t.destinationPort());
        return o;
    }

    /** An address as text, IPv6 compressed as RFC 5952 writes it (config's own formatting), without a zone id. */
    static String text(InetAddress a) {
        return IpAddress.of(a).toString();
    }
}
