; Inno Setup 6 script of the Windows installer of Center Desk (センターデスク).
;
; Build on Windows after `make bundle` (or the same PyInstaller command) has made dist\center-desk\:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\center-desk.iss
; -> dist\installer\CenterDesk-Setup-0.1.0.exe  (installer\README.md has the whole recipe).
;
; What it does:
; - installs the one-folder build for the current user only (no administrator rights) into
;   {userpf}\Center Desk, which is %LOCALAPPDATA%\Programs\Center Desk;
; - creates Start-menu and desktop shortcuts in Japanese (the desktop one can be unticked);
; - never touches the data: the database and its backups live in the per-user data
;   folder %LOCALAPPDATA%\CenterDesk\CenterDesk (center_app.paths, platformdirs) and the per-PC
;   settings in HKCU\Software\CenterDesk, outside the program folder. An upgrade replaces the
;   program files only; uninstalling removes the program files only. The data folder is created
;   here with "uninsneveruninstall" so that it survives even a clean-up of empty folders.
; This file is saved as UTF-8 with a BOM (Inno Setup needs the BOM for the Japanese text).

#ifndef AppVersion
  #define AppVersion "0.0.0-dev"
#endif
#define AppName "Center Desk"
#define AppNameJa "センターデスク"
#define GuiExe "CenterDesk.exe"
#define Bundle "..\dist\center-desk"

[Setup]
; Never change AppId: upgrades find the installed copy by it.
AppId={{464920F3-A798-40B9-950B-90F15A05D41E}
AppName={#AppNameJa} ({#AppName})
AppVersion={#AppVersion}
AppVerName={#AppNameJa} {#AppVersion}
AppPublisher=Center Desk
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppNameJa} インストーラー
; Per user, no UAC prompt; {userpf} = %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppNameJa}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist\installer
OutputBaseFilename=CenterDesk-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; Close a running Center Desk before replacing its files (Restart Manager), and start it again.
CloseApplications=yes
RestartApplications=no
UninstallDisplayName={#AppNameJa} ({#AppName})
UninstallDisplayIcon={app}\{#GuiExe}
#ifexist "..\resources\icons\center-desk.ico"
SetupIconFile=..\resources\icons\center-desk.ico
#endif

[Languages]
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"

[Messages]
ja.UninstalledAll=%1 のプログラムを削除しました。データベースとバックアップはユーザーのデータフォルダー（AppData\Local\CenterDesk）に残っています。不要な場合だけ手動で削除してください。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade removes the previous version's runtime files first (a one-folder build must not
; mix two versions' libraries). Only the program folder: the data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; The per-user data folder (database, backups). Kept on uninstall.
Name: "{localappdata}\CenterDesk\CenterDesk"; Flags: uninsneveruninstall

[Icons]
Name: "{group}\{#AppNameJa}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "市民活動センター窓口アプリ"
Name: "{group}\{#AppNameJa} データフォルダー"; Filename: "{localappdata}\CenterDesk\CenterDesk"; Comment: "データベースとバックアップの保存場所"
Name: "{group}\{#AppNameJa} のアンインストール"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppNameJa}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "市民活動センター窓口アプリ"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppNameJa}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the program may have written into its own folder at run time (never the data folder).
Type: filesandordirs; Name: "{app}\_internal"
