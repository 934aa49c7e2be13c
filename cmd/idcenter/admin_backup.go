package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

func newBackup() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var to string
	cmd := &cobra.Command{
		Use:   "backup --to FILE",
		Short: "Write a consistent copy of the database (the server may run)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				return fmt.Errorf("backup: --to is required")
			}
			if err := app.Backup(cmd.Context(), cfg, to); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backup: %s\n", to)
			return nil
		},
	}
	cfg.BindData(cmd.Flags())
	cmd.Flags().StringVar(&to, "to", "", "the backup file to create")
	return cmd
}

func newRestore() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var from string
	var force bool
	cmd := &cobra.Command{
		Use:   "restore --from FILE",
		Short: "Replace the database with a backup (stop the server first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" {
				return fmt.Errorf("restore: --from is required")
			}
			if err := app.Restore(cmd.Context(), cfg, from, force); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restored %s into %s\n", from, cfg.DatabasePath())
			return nil
		},
	}
	cfg.BindData(cmd.Flags())
	cmd.Flags().StringVar(&from, "from", "", "the backup file to restore")
	cmd.Flags().BoolVar(&force, "force", false, "restore even though a write-ahead log exists (after a crash)")
	return cmd
}

func newMigrate() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply the database migrations of this version (the server also does on start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.EnsureDataDir(); err != nil {
				return err
			}
			st, err := app.OpenStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if err := st.Close(); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "migrated")
			return nil
		},
	}
	cfg.BindStore(cmd.Flags())
	return cmd
}
