package dev.bulwark.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.model.ApiToken;
import dev.bulwark.config.model.Role;
import dev.bulwark.config.types.TokenHash;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Bearer parsing against hashed tokens, and the per-address sliding window of failures. */
class AuthTest {

    static final List<ApiToken> TOKENS = List.of(new ApiToken("alice", TokenHash.of("a-secret"), Role.ADMIN),
            new ApiToken("bob", TokenHash.of("b-secret"), Role.READ_ONLY));

    @Test
    void bearerTokensMatchTheirHashAndRole() {
        assertThat(Auth.check(null, TOKENS)).isInstanceOf(Auth.Missing.class);
        assertThat(Auth.check("Bearer a-secret", TOKENS)).isEqualTo(new Auth.Valid(new Auth.Principal("alice", Role.ADMIN)));
        assertThat(Auth.check("bearer  b-secret ", TOKENS)).isEqualTo(new Auth.Valid(new Auth.Principal("bob", Role.READ_ONLY)));
        assertThat(Auth.check("Bearer c-secret", TOKENS)).isInstanceOf(Auth.Invalid.class);
        assertThat(Auth.check("Basic YTpi", TOKENS)).isInstanceOf(Auth.Invalid.class);
        assertThat(Auth.check("Bearer " + TokenHash.of("a-secret"), TOKENS)).as("the hash is not the token").isInstanceOf(Auth.Invalid.class);
        assertThat(Auth.check("Bearer a-secret", List.of())).isInstanceOf(Auth.Invalid.class);
    }

    @Test
    void failuresWithinTheWindowBlockTheAddressUntilTheOldestExpires() {
        AtomicLong now = new AtomicLong(1_000_000_000_000L);
        AuthLimiter l = new AuthLimiter(3, Duration.ofSeconds(60), now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(l.retryAfter("10.0.0.1")).isZero();
            l.failed("10.0.0.1");
            now.addAndGet(1_000_000_000L);
        }
        assertThat(l.retryAfter("10.0.0.1")).isEqualTo(57);
        assertThat(l.retryAfter("10.0.0.2")).isZero();
        now.addAndGet(57_000_000_000L);
        assertThat(l.retryAfter("10.0.0.1")).isZero();
    }
}
