DROP VIEW token_generations;
