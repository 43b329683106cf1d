package dev.bulwark.config.validate;

/** The semantic checks of one config section. */
interface Check {
    void check(Context ctx);
}
