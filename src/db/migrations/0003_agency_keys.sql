-- An agency may register an age X25519 recipient: its packages can then be downloaded encrypted to it.
ALTER TABLE organisations ADD COLUMN age_recipient text;
