-- The generations an API request reads with its token, in the account of its path: the same
-- scopes as a session's (session_generations), for a token's user and any account, so that a
-- request finds its token, its user and the generations of its caches in one statement.
CREATE VIEW token_generations AS SELECT
    t.token_hash AS token_hash,
    cur.id AS account_id,
    (SELECT COALESCE(MAX(v), 0) FROM (
        SELECT g.value AS v FROM generations g WHERE g.scope = 'u:' || t.user_id
        UNION ALL SELECT g.value FROM user_roles ur
            JOIN accounts a ON a.id = ur.account_id
            JOIN generations g ON g.scope = 'p:' || COALESCE(a.parent_id, a.id)
            WHERE ur.user_id = t.user_id
        UNION ALL SELECT g.value FROM generations g WHERE g.scope = 'p:*'
        UNION ALL SELECT g.value FROM group_users gu
            JOIN account_groups ag ON ag.id = gu.group_id
            JOIN generations g ON g.scope = 'p:' || ag.account_id
            WHERE gu.user_id = t.user_id
    ) AS held) AS people,
    COALESCE((SELECT value FROM generations
        WHERE scope = 'p:' || COALESCE(cur.parent_id, cur.id)), 0) AS family_people,
    GREATEST(
        COALESCE((SELECT value FROM generations WHERE scope = 'l:' || COALESCE(cur.parent_id, cur.id)), 0),
        COALESCE((SELECT value FROM generations WHERE scope = 'l:platform'), 0),
        COALESCE((SELECT g.value FROM accounts pa JOIN generations g ON g.scope = 'l:' || pa.id
            WHERE pa.platform_publisher = TRUE), 0)) AS library,
    COALESCE((SELECT value FROM generations WHERE scope = 'i:' || cur.id), 0) AS installs,
    COALESCE((SELECT value FROM generations WHERE scope = 'a:' || cur.id), 0) AS content
FROM api_tokens t CROSS JOIN accounts cur;
