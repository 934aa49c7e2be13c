package app

import (
	"context"
	"io"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/world"
)

// Export writes the state of the idcenter cfg names (its data folder or
// --store) as a world file to out (the server may be running: it is read in
// one transaction). With includeSecrets, access key and TOTP secrets are
// written as they are; otherwise as ${ENV} references.
func Export(ctx context.Context, cfg config.Config, out io.Writer, includeSecrets bool) error {
	st, in, err := OpenAdmin(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := world.Export(ctx, st, in.ARN, world.ExportOptions{IncludeSecrets: includeSecrets})
	if err != nil {
		return err
	}
	b, err := world.Marshal(w)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}
