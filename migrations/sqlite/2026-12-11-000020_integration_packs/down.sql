DROP TABLE group_packs;
DROP TABLE pack_release_items;
DROP TABLE pack_releases;
DROP TABLE pack_members;
DROP TABLE integration_packs;
