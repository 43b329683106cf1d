package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.bind.Scalar;
import dev.bulwark.config.types.Rate;

/** A rate limit; written as a rate ({@code 10/second}) or as an object with a burst. */
@Doc("A rate limit")
@Scalar(shorthand = true, expected = "a rate such as 10/second, or {rate: 10/second, burst: 20}", examples = {"10/second"})
public record Limit(
        @Doc("Packets per time unit.") @Required Rate rate,
        @Doc("Packets allowed above the rate in a burst (1-65535).") Integer burst) {

    public static Limit parse(String text) {
        return new Limit(Rate.parse(text), null);
    }
}
