package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/idcenter/idcenter/internal/app"
	"github.com/idcenter/idcenter/internal/config"
)

// newDelegationToken prints the trade-in token of an IAM delegation request,
// once: the operator's stand-in for the partner's SNS notification channel.
func newDelegationToken() *cobra.Command {
	cfg := config.FromEnv(os.Getenv)
	var requestID string
	cmd := &cobra.Command{
		Use:   "delegation-token --request-id ID",
		Short: "Print, once, the trade-in token SendDelegationToken issued for a delegation request",
		Long: `AWS publishes the trade-in token of an accepted delegation request to the
partner's SNS topic when the customer calls SendDelegationToken; idcenter has
no SNS and keeps the token sealed in an outbox instead. This command prints it
and erases it: it can be read once. Hand it to the partner, which exchanges it
with STS GetDelegatedAccessToken (once, within the request's SessionDuration
from SendDelegationToken).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if requestID == "" {
				return errors.New("--request-id is required")
			}
			st, _, err := app.OpenAdmin(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			token, err := app.ReadDelegationToken(cmd.Context(), st, requestID)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), token)
			return nil
		},
	}
	cfg.BindStore(cmd.Flags())
	cmd.Flags().StringVar(&requestID, "request-id", "", "the delegation request's id")
	return cmd
}
