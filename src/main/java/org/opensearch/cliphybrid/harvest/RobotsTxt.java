package org.opensearch.cliphybrid.harvest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules of one robots.txt for one user agent, as RFC 9309 reads them: the groups whose user-agent names our product token
 * apply (all of them, merged), otherwise the {@code *} groups; the longest matching rule wins and Allow wins a tie; {@code *}
 * matches any run of characters and a final {@code $} anchors the end.
 */
public final class RobotsTxt {
    private record Rule(boolean allow, String pattern) {
        /** A rule matches a prefix of the path unless it ends in {@code $}; linear-time wildcard matching, whatever a server sends. */
        boolean matches(String path) {
            String p = pattern.endsWith("$") ? pattern.substring(0, pattern.length() - 1) : pattern + "*";
            int pi = 0, si = 0, star = -1, resume = 0;
            while (si < path.length()) {
                if (pi < p.length() && p.charAt(pi) == '*') {
                    star = pi++;
                    resume = si;
                } else if (pi < p.length() && p.charAt(pi) == path.charAt(si)) {
                    pi++;
                    si++;
                } else if (star >= 0) {
                    pi = star + 1;
                    si = ++resume;
                } else {
                    return false;
                }
            }
            while (pi < p.length() && p.charAt(pi) == '*') {
                pi++;
            }
            return pi == p.length();
        }
    }

    public static final RobotsTxt ALLOW_ALL = new RobotsTxt(List.of());
    /** What RFC 9309 says to assume while a robots.txt cannot be read for a reason other than a 4xx status. */
    public static final RobotsTxt DISALLOW_ALL = new RobotsTxt(List.of(new Rule(false, "/")));

    private final List<Rule> rules;

    private RobotsTxt(List<Rule> rules) {
        this.rules = rules;
    }

    /** {@code agent} is our product token, e.g. {@code clip-hybrid-search}; it is matched case-insensitively. */
    public static RobotsTxt parse(String text, String agent) {
        String token = agent.toLowerCase(Locale.ROOT);
        List<Rule> ours = new ArrayList<>(), anyone = new ArrayList<>();
        boolean ourGroupSeen = false;
        List<String> groupAgents = new ArrayList<>();
        boolean inRules = false;
        List<Rule> groupRules = new ArrayList<>();
        for (String raw : text.split("\r\n|\r|\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (key.equals("user-agent")) {
                if (inRules) {
                    // a user-agent line after rules starts a new group: file the finished one
                    ourGroupSeen |= file(groupAgents, groupRules, token, ours, anyone);
                    groupAgents.clear();
                    groupRules.clear();
                    inRules = false;
                }
                int slash = value.indexOf('/');
                groupAgents.add((slash >= 0 ? value.substring(0, slash) : value).strip().toLowerCase(Locale.ROOT));
            } else if (key.equals("allow") || key.equals("disallow")) {
                inRules = true;
                // an empty Disallow allows everything, which is what having no rule means
                if (value.isEmpty() == false) {
                    groupRules.add(new Rule(key.equals("allow"), value));
                }
            }
        }
        ourGroupSeen |= file(groupAgents, groupRules, token, ours, anyone);
        return new RobotsTxt(List.copyOf(ourGroupSeen ? ours : anyone));
    }

    /** Returns whether the group names our agent; a group with no rules still counts, and means "allow everything". */
    private static boolean file(List<String> agents, List<Rule> rules, String token, List<Rule> ours, List<Rule> anyone) {
        if (agents.contains(token)) {
            ours.addAll(rules);
            return true;
        }
        if (agents.contains("*")) {
            anyone.addAll(rules);
        }
        return false;
    }

    /** {@code pathAndQuery} is the URL's path with its query, e.g. {@code /a/b.jpg?x=1}. */
    public boolean allows(String pathAndQuery) {
        String path = pathAndQuery.isEmpty() ? "/" : pathAndQuery;
        Rule best = null;
        for (Rule rule : rules) {
            if (rule.matches(path)) {
                if (best == null
                    || rule.pattern().length() > best.pattern().length()
                    || (rule.pattern().length() == best.pattern().length() && rule.allow())) {
                    best = rule;
                }
            }
        }
        return best == null || best.allow();
    }
}
