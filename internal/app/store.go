package app

import (
	"context"
	"fmt"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/postgres"
	"github.com/idcenter/idcenter/internal/store/sqlite"
)

// openStore opens the database cfg.Store names: SQLite in the data folder
// by default, PostgreSQL for a postgres:// URL.
func openStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	if cfg.UsesPostgres() {
		st, err := postgres.Open(ctx, cfg.Store)
		if err != nil {
			return nil, fmt.Errorf("app: open PostgreSQL store: %w", err)
		}
		return st, nil
	}
	st, err := sqlite.Open(ctx, cfg.DatabasePath())
	if err != nil {
		return nil, fmt.Errorf("app: open store: %w", err)
	}
	return st, nil
}
