package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
	corescim "github.com/idcenter/idcenter/internal/core/scim"
	"github.com/idcenter/idcenter/internal/store"
)

func newAdmin() *cobra.Command {
	cmd := &cobra.Command{Use: "admin", Short: "Administer a data folder (works while the server runs)"}
	cmd.AddCommand(newSCIMToken())
	cmd.AddCommand(newSignInAdmin()...)  // admin_signin.go
	cmd.AddCommand(newIdentitySource())  // admin_identitysource.go
	cmd.AddCommand(newDelegationToken()) // admin_delegation.go
	cmd.AddCommand(newBackup(), newRestore(), newMigrate())
	return cmd
}

// scimEnv is the data folder's store, its identity store id and the SCIM service.
type scimEnv struct {
	st      store.Store
	storeID string
	svc     *corescim.Service
}

func openSCIM(ctx context.Context, cfg config.Config) (*scimEnv, error) {
	st, ins, err := app.OpenAdmin(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &scimEnv{st: st, storeID: ins.IdentityStoreID, svc: &corescim.Service{Store: st}}, nil
}

func newSCIMToken() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var ttl time.Duration
	cmd := &cobra.Command{Use: "scim-token", Short: "Create, list and delete the SCIM bearer tokens of the identity store"}
	cfg.BindStore(cmd.PersistentFlags())
	run := func(fn func(ctx context.Context, e *scimEnv, out io.Writer, args []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			e, err := openSCIM(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer e.st.Close()
			return fn(cmd.Context(), e, cmd.OutOrStdout(), args)
		}
	}
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a token (at most two live ones) and print the SCIM endpoint and the token, once",
		Args:  cobra.NoArgs,
		RunE: run(func(ctx context.Context, e *scimEnv, out io.Writer, _ []string) error {
			if err := config.ValidatePublicURL(cfg.PublicURL); err != nil {
				return err
			}
			_, secret, err := e.svc.CreateToken(ctx, e.storeID, ttl)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "endpoint: %s\ntoken: %s\n", app.SCIMEndpoint(cfg, e.storeID), secret)
			return nil
		}),
	}
	create.Flags().StringVar(&cfg.Listen, "listen", cfg.Listen, "the server's listen address, for the endpoint (env IDCENTER_LISTEN)")
	create.Flags().BoolVar(&cfg.TLSAuto, "tls", cfg.TLSAuto, "the server serves HTTPS (env IDCENTER_TLS=true)")
	cfg.BindPublicURL(create.Flags())
	create.Flags().DurationVar(&ttl, "expires-in", corescim.DefaultTokenTTL, "token lifetime")
	list := &cobra.Command{
		Use:   "list",
		Short: "List the tokens (ids and dates, never the secrets)",
		Args:  cobra.NoArgs,
		RunE: run(func(ctx context.Context, e *scimEnv, out io.Writer, _ []string) error {
			ts, err := e.svc.ListTokens(ctx, e.storeID)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCREATED\tEXPIRES\tLAST USED")
			for _, t := range ts {
				last := "never"
				if !t.LastUsedAt.IsZero() {
					last = t.LastUsedAt.Format(time.RFC3339)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.CreatedAt.Format(time.RFC3339), t.ExpiresAt.Format(time.RFC3339), last)
			}
			return tw.Flush()
		}),
	}
	del := &cobra.Command{
		Use:   "delete TOKEN-ID",
		Short: "Revoke a token",
		Args:  cobra.ExactArgs(1),
		RunE: run(func(ctx context.Context, e *scimEnv, out io.Writer, args []string) error {
			return e.svc.DeleteToken(ctx, e.storeID, args[0])
		}),
	}
	cmd.AddCommand(create, list, del)
	return cmd
}
