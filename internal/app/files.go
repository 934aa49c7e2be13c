package app

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/idcenter/idcenter/internal/store"
)

// writeCredentialFiles writes <data>/credentials (the root key under profile
// "idcenter", mode 0600) and <data>/config (the profile's region) atomically.
func writeCredentialFiles(credPath, configPath, region string, key store.AccessKey) error {
	cred := fmt.Sprintf("[idcenter]\naws_access_key_id = %s\naws_secret_access_key = %s\n", key.AccessKeyID, key.SecretAccessKey)
	if err := writeFileAtomic(credPath, []byte(cred), 0o600); err != nil {
		return err
	}
	conf := fmt.Sprintf("[profile idcenter]\nregion = %s\noutput = json\n", region)
	return writeFileAtomic(configPath, []byte(conf), 0o600)
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("app: write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("app: write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("app: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("app: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("app: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("app: write %s: %w", path, err)
	}
	return nil
}
