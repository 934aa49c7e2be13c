package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

func newExport() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var secrets bool
	cmd := &cobra.Command{
		Use:   "export [--data DIR | --store URL] > world.yaml",
		Short: "Write the current state as a world file (for serve --world; the server may run)",
		Long: `Write the current state as a world file on standard output: the organization
(id, OUs, accounts, SCPs), every account's IAM users, groups, roles and customer
managed policies, the identity store's users, groups and memberships, permission
sets, account assignments and instance settings. Starting a fresh server with
--world on the output reproduces them. Passwords and SCIM tokens are stored
hashed and are not exported; access key and TOTP secrets are written as
${IDCENTER_SECRET_<key id>} and ${IDCENTER_TOTP_<USER>} references unless
--include-secrets is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return app.Export(cmd.Context(), cfg, cmd.OutOrStdout(), secrets)
		},
	}
	cfg.BindStore(cmd.Flags())
	cmd.Flags().BoolVar(&secrets, "include-secrets", false, "write access key and TOTP secrets into the file")
	return cmd
}
