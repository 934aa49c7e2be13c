package app

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/store"
)

// OpenStore opens (and migrates) the database cfg names: SQLite in the data
// folder by default, PostgreSQL for a postgres:// --store. The caller closes it.
func OpenStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	return openStore(ctx, cfg)
}

// OpenAdmin opens the database of an existing idcenter for an admin command
// (the server may be running) and returns its Identity Center instance.
func OpenAdmin(ctx context.Context, cfg config.Config) (store.Store, store.Instance, error) {
	if !cfg.UsesPostgres() {
		if _, err := os.Stat(cfg.DatabasePath()); err != nil {
			return nil, store.Instance{}, fmt.Errorf("no idcenter data in %s (start `idcenter serve --data %s` once first): %w", cfg.DataDir, cfg.DataDir, err)
		}
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, store.Instance{}, err
	}
	var ins []store.Instance
	err = st.View(ctx, func(tx store.Tx) error {
		var err error
		ins, err = tx.ListInstances(ctx, store.Page{Limit: 1})
		return err
	})
	if err == nil && len(ins) == 0 {
		err = errors.New("the database has no Identity Center instance yet; start the server once first")
	}
	if err != nil {
		st.Close()
		return nil, store.Instance{}, err
	}
	return st, ins[0], nil
}
