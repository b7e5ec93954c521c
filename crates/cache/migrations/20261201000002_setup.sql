-- Sender numbers a campaign no longer sends from: shown with it, as their conversations stay.
ALTER TABLE campaigns ADD COLUMN retired_numbers TEXT NOT NULL DEFAULT '[]';
